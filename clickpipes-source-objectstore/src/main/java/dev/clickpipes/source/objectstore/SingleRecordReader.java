package dev.clickpipes.source.objectstore;

/** Hands out one prepared record: the stand-in for an object that is not read (over the size cap). */
final class SingleRecordReader implements ObjectReader {

    private ObjectRecord record;

    SingleRecordReader(ObjectRecord record) {
        this.record = record;
    }

    @Override
    public ObjectRecord next() {
        ObjectRecord r = record;
        record = null;
        return r;
    }

    @Override
    public void close() {
    }
}
