package dev.clickpipes.source.objectstore;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds its next element ahead, in {@link #hasNext()}: for a store's listing, which
 * skips what is no object (a folder placeholder, a key at or before the resume point) and so cannot
 * tell whether there is a next one without finding it.
 *
 * @param <T> the elements
 */
public abstract class LookaheadIterator<T> implements Iterator<T> {

    private T next;

    /** For subclasses. */
    protected LookaheadIterator() {
    }

    /** The next element, or null when there is none; called only when none is waiting. */
    protected abstract T findNext();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = findNext();
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T found = next;
        next = null;
        return found;
    }
}
