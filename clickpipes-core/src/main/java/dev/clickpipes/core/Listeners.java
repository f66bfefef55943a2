package dev.clickpipes.core;

import dev.clickpipes.core.spi.SourceLag;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The pipe's listeners: the one its builder was given, then those added while it exists
 * ({@link Pipe#addListener}, e.g. a metrics binding), each event to each in that order.
 */
final class Listeners implements PipeListener {

    private final List<PipeListener> all = new CopyOnWriteArrayList<>();

    Listeners(PipeListener first) {
        all.add(first);
    }

    void add(PipeListener listener) {
        all.add(listener);
    }

    boolean remove(PipeListener listener) {
        return all.remove(listener);
    }

    @Override
    public void onStarted(Pipe pipe) {
        for (PipeListener l : all) {
            l.onStarted(pipe);
        }
    }

    @Override
    public void onBatchCommitted(Pipe pipe, BatchReport report) {
        for (PipeListener l : all) {
            l.onBatchCommitted(pipe, report);
        }
    }

    @Override
    public void onRecordRejected(Pipe pipe, ErrorRecord error) {
        for (PipeListener l : all) {
            l.onRecordRejected(pipe, error);
        }
    }

    @Override
    public void onRetry(Pipe pipe, int attempt, Exception failure, long backoffMillis) {
        for (PipeListener l : all) {
            l.onRetry(pipe, attempt, failure, backoffMillis);
        }
    }

    @Override
    public void onLag(Pipe pipe, SourceLag lag) {
        for (PipeListener l : all) {
            l.onLag(pipe, lag);
        }
    }

    @Override
    public void onStopped(Pipe pipe, Throwable failure) {
        for (PipeListener l : all) {
            l.onStopped(pipe, failure);
        }
    }
}
