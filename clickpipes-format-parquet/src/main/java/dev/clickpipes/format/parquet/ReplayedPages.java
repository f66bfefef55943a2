package dev.clickpipes.format.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;

/**
 * A row group's pages where some columns' pages were already read into {@link BufferedChunk}s:
 * parquet-java's column reader gets those again from the chunks, the other columns' from the row
 * group as before.
 */
final class ReplayedPages extends ForwardingPageReadStore {

    private final ColumnDescriptor[] columns;
    private final BufferedChunk[] chunks;

    /** {@code chunks[k]} holds the pages of {@code columns[k]}. */
    ReplayedPages(PageReadStore pages, ColumnDescriptor[] columns, BufferedChunk[] chunks) {
        super(pages);
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
}
