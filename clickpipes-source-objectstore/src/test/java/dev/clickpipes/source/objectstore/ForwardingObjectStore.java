package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/** An object store that hands every call to another: tests override the calls they watch or slow down. */
class ForwardingObjectStore implements ObjectStore {

    private final ObjectStore delegate;

    ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        return delegate.list(prefix, startAfter);
    }

    @Override
    public InputStream openRange(ObjectInfo object, long start, long end) throws IOException {
        return delegate.openRange(object, start, end);
    }

    @Override
    public String url(String key) {
        return delegate.url(key);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
