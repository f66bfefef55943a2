package dev.clickpipes.source.objectstore;

import java.io.IOException;

/** Turns one object into records, in order. */
interface ObjectReader extends AutoCloseable {

    /** The next record, or null at the end of the object. */
    ObjectRecord next() throws IOException;

    @Override
    void close() throws IOException;
}
