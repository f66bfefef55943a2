/**
 * Testing support: {@link dev.clickpipes.testkit.EmbeddedClickHouse}, a real ClickHouse engine in
 * this JVM (chDB through the FFM API on Java 22+ or JNA on 17 and 21, downloaded on first use by
 * {@link dev.clickpipes.testkit.ChdbInstaller}); {@link dev.clickpipes.testkit.TestDatabase}, a
 * throw-away database in it with helpers to read tables and error tables back;
 * {@link dev.clickpipes.testkit.ClickHouseExtension}, a JUnit 5 extension that gives each test one;
 * and {@link dev.clickpipes.testkit.PipeRuns}, which runs a pipe until its source is drained.
 */
package dev.clickpipes.testkit;
