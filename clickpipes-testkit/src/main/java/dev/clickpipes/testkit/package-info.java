/**
 * Testing support: {@link dev.clickpipes.testkit.EmbeddedClickHouse}, a real ClickHouse engine in
 * this JVM (chDB through the FFM API), and {@link dev.clickpipes.testkit.TestDatabase}, a
 * throw-away database in it.
 */
package dev.clickpipes.testkit;
