package dev.clickpipes.format.parquet;

import java.util.Optional;
import java.util.PrimitiveIterator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;

/**
 * A row group's pages where some columns' pages were already read into {@link BufferedChunk}s:
 * parquet-java's column reader gets those again from the chunks, the other columns' from the row
 * group as before.
 */
final class ReplayedPages implements PageReadStore {

    private final PageReadStore pages;
    private final ColumnDescriptor[] columns;
    private final BufferedChunk[] chunks;

    /** {@code chunks[k]} holds the pages of {@code columns[k]}. */
    ReplayedPages(PageReadStore pages, ColumnDescriptor[] columns, BufferedChunk[] chunks) {
        this.pages = pages;
        this.columns = columns;
        this.chunks = chunks;
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor column) {
        for (int k = 0; k < columns.length; k++) {
            if (columns[k].equals(column)) {
                return chunks[k].replay();
            }
        }
        return pages.getPageReader(column);
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
}
