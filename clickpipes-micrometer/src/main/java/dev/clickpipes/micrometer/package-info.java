/**
 * Micrometer meters for pipes: {@link dev.clickpipes.micrometer.ClickPipesMetrics#bind} registers
 * them, the returned {@link dev.clickpipes.micrometer.MeterBinding} removes them.
 */
package dev.clickpipes.micrometer;
