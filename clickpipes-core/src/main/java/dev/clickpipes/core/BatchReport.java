package dev.clickpipes.core;

import java.time.Duration;

/**
 * What happened to one batch, given to {@link PipeListener#onBatchCommitted}.
 *
 * @param rows          rows inserted (not those its sink filed in an error table instead)
 * @param errorRows     records of the batch filed as errors, by the pipe or by its sink
 * @param bytes         encoded bytes of the rows
 * @param attempts      insert attempts it took (1 when the first one succeeded)
 * @param insertTime    time spent in inserts, retries included
 */
public record BatchReport(int rows, int errorRows, long bytes, int attempts, Duration insertTime) {
}
