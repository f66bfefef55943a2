package dev.clickpipes.format.parquet;

import java.util.Optional;
import java.util.PrimitiveIterator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * A row group's pages with the counts parquet-java allocates by checked first: a dictionary page
 * claiming more entries than it has bytes (parquet-java allocates an array of that many entries
 * before reading one) is refused.
 */
final class CheckedPages implements PageReadStore {

    private final PageReadStore pages;

    CheckedPages(PageReadStore pages) {
        this.pages = pages;
    }

    @Override
    public PageReader getPageReader(ColumnDescriptor column) {
        PageReader r = pages.getPageReader(column);
        return new PageReader() {
            @Override
            public DictionaryPage readDictionaryPage() {
                DictionaryPage d = r.readDictionaryPage();
                // every dictionary entry takes a byte at least (PLAIN: 4 for a binary's length)
                if (d != null && (d.getDictionarySize() < 0 || d.getDictionarySize() > d.getUncompressedSize())) {
                    throw new ParquetDecodingException("column " + String.join(".", column.getPath())
                            + ": a dictionary page of " + d.getUncompressedSize() + " bytes claims "
                            + d.getDictionarySize() + " entries");
                }
                return d;
            }

            @Override
            public long getTotalValueCount() {
                return r.getTotalValueCount();
            }

            @Override
            public DataPage readPage() {
                return r.readPage();
            }
        };
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
