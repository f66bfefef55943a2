/**
 * One stream into many tables: {@link dev.clickpipes.clickhouse.routing.Router} gives a pipe a
 * decoder and a sink that send each record to the table its {@link dev.clickpipes.clickhouse.routing.RouteKey} names.
 */
package dev.clickpipes.clickhouse.routing;
