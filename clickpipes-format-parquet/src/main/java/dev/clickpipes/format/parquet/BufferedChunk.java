package dev.clickpipes.format.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;

/**
 * A column chunk's pages, read (and decompressed) up front so that their encodings decide how the
 * chunk is decoded before a value is. A page that fails to read ends the list with its failure,
 * which is thrown where the pages before it end, as if they had been read one by one.
 * {@link #replay()} hands the same pages to parquet-java's column reader.
 */
final class BufferedChunk {

    final DictionaryPage dictionary;
    final List<DataPage> pages;
    /** What stopped reading the pages after {@link #pages}; null when every page was read. */
    final RuntimeException failure;
    private final long totalValueCount;

    private BufferedChunk(DictionaryPage dictionary, List<DataPage> pages, RuntimeException failure, long totalValueCount) {
        this.dictionary = dictionary;
        this.pages = pages;
        this.failure = failure;
        this.totalValueCount = totalValueCount;
    }

    /**
     * Reads every page of {@code reader}.
     *
     * @throws RuntimeException from reading the dictionary page, as the column reader would at its start
     */
    static BufferedChunk read(PageReader reader) {
        DictionaryPage dictionary = reader.readDictionaryPage();
        List<DataPage> pages = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (DataPage p; (p = reader.readPage()) != null; ) {
                pages.add(p);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        return new BufferedChunk(dictionary, pages, failure, reader.getTotalValueCount());
    }

    /** The same pages for parquet-java's column reader, the failure thrown after them. */
    PageReader replay() {
        return new PageReader() {
            private int next;

            @Override
            public DictionaryPage readDictionaryPage() {
                return dictionary;
            }

            @Override
            public long getTotalValueCount() {
                return totalValueCount;
            }

            @Override
            public DataPage readPage() {
                if (next < pages.size()) {
                    return pages.get(next++);
                }
                if (failure != null) {
                    throw failure;
                }
                return null;
            }
        };
    }
}
