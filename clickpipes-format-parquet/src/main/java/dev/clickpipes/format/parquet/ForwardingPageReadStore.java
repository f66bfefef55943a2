package dev.clickpipes.format.parquet;

import java.util.Optional;
import java.util.PrimitiveIterator;
import org.apache.parquet.column.page.PageReadStore;

/** A row group's pages that another store gives: everything but the page readers is that store's. */
abstract class ForwardingPageReadStore implements PageReadStore {

    /** The store forwarded to. */
    final PageReadStore pages;

    ForwardingPageReadStore(PageReadStore pages) {
        this.pages = pages;
    }

    @Override
    public long getRowCount() {
        return pages.getRowCount();
    }

    @Override
    public Optional<Long> getRowIndexOffset() {
        return pages.getRowIndexOffset();
    }

    @Override
    public Optional<PrimitiveIterator.OfLong> getRowIndexes() {
        return pages.getRowIndexes();
    }

    @Override
    public void close() {
        pages.close();
    }
}
