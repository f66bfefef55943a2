package dev.clickpipes.format.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * A row group's pages with the counts parquet-java allocates by checked first: a dictionary page
 * claiming more entries than it has bytes (parquet-java allocates an array of that many entries
 * before reading one) is refused, and so is a bit-packed run of levels, dictionary indices or booleans
 * claiming more values than its page has or than its bytes can hold (parquet-java's
 * {@code RunLengthBitPackingHybridDecoder} allocates the run's values from its header alone).
 */
final class CheckedPages extends ForwardingPageReadStore {


    CheckedPages(PageReadStore pages) {
        super(pages);
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
                DataPage page = r.readPage();
                if (page != null) {
                    try {
                        checkRuns(column, page);
                    } catch (IOException e) {
                        throw new ParquetDecodingException("column " + String.join(".", column.getPath()) + ": "
                                + e.getMessage(), e);
                    }
                }
                return page;
            }
        };
    }

    /**
     * Walks the run headers of the page's levels and, when run-length encoded, its values. Real
     * writers cut bit-packed runs at 512 values; the bounds here are far looser than that.
     */
    static void checkRuns(ColumnDescriptor column, DataPage page) throws IOException {
        int values = page.getValueCount();
        int repWidth = BytesUtils.getWidthFromMaxInt(column.getMaxRepetitionLevel());
        int defWidth = BytesUtils.getWidthFromMaxInt(column.getMaxDefinitionLevel());
        if (page instanceof DataPageV1 v1) {
            ByteBuffer b = v1.getBytes().toByteBuffer();
            int pos = b.position();
            if (repWidth > 0 && v1.getRlEncoding() == Encoding.RLE) {
                pos = checkLengthPrefixed(b, pos, repWidth, values, "repetition levels");
            }
            if (defWidth > 0 && v1.getDlEncoding() == Encoding.RLE) {
                pos = checkLengthPrefixed(b, pos, defWidth, values, "definition levels");
            }
            checkValues(b, pos, v1.getValueEncoding(), column, values);
        } else if (page instanceof DataPageV2 v2) {
            checkRuns(v2.getRepetitionLevels(), repWidth, values, "repetition levels");
            checkRuns(v2.getDefinitionLevels(), defWidth, values, "definition levels");
            ByteBuffer b = v2.getData().toByteBuffer();
            checkValues(b, b.position(), v2.getDataEncoding(), column, values);
        }
    }

    private static void checkRuns(BytesInput levels, int width, int values, String what) throws IOException {
        if (width > 0) {
            ByteBuffer b = levels.toByteBuffer();
            checkRuns(b, b.position(), b.limit(), width, values, what);
        }
    }

    private static int checkLengthPrefixed(ByteBuffer b, int pos, int width, int values, String what) throws IOException {
        if (b.limit() - pos < 4) {
            throw new IOException(what + ": the page ends before their length");
        }
        int length = Integer.reverseBytes(b.getInt(pos));
        if (length < 0 || length > b.limit() - pos - 4) {
            throw new IOException(what + " of " + length + " bytes in the " + (b.limit() - pos - 4) + " left of the page");
        }
        checkRuns(b, pos + 4, pos + 4 + length, width, values, what);
        return pos + 4 + length;
    }

    /** Values in runs: dictionary indices (a bit width, then runs), RLE booleans (a length, then runs of width 1). */
    private static void checkValues(ByteBuffer b, int pos, Encoding encoding, ColumnDescriptor column, int values)
            throws IOException {
        if (encoding == Encoding.RLE && column.getPrimitiveType().getPrimitiveTypeName()
                == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN) {
            checkLengthPrefixed(b, pos, 1, values, "boolean values");
        } else if (encoding == Encoding.DELTA_BINARY_PACKED || encoding == Encoding.DELTA_LENGTH_BYTE_ARRAY
                || encoding == Encoding.DELTA_BYTE_ARRAY) {
            checkDeltaHeader(b, pos, values);
        } else if ((encoding == Encoding.RLE_DICTIONARY || encoding == Encoding.PLAIN_DICTIONARY) && pos < b.limit()) {
            int width = b.get(pos) & 0xff;
            if (width > 32) {
                throw new IOException("dictionary indices of " + width + " bits");
            }
            checkRuns(b, pos + 1, b.limit(), width, values, "dictionary indices");
        }
    }

    /**
     * The header of a delta-packed stream (the values, or the first lengths of the delta byte
     * arrays): parquet-java allocates its values from the header's count and block size.
     */
    private static void checkDeltaHeader(ByteBuffer b, int pos, int values) throws IOException {
        long[] header = new long[3]; // block size, miniblocks per block, value count
        for (int i = 0; i < 3; i++) {
            long v = 0;
            int shift = 0;
            int bt;
            do {
                if (pos >= b.limit() || shift > 35) {
                    throw new IOException("a delta-packed header that does not end");
                }
                bt = b.get(pos++) & 0xff;
                v |= (long) (bt & 0x7f) << shift;
                shift += 7;
            } while ((bt & 0x80) != 0);
            header[i] = v;
        }
        long block = header[0];
        long miniblocks = header[1];
        if (header[2] > values || block <= 0 || block % 128 != 0 || block > 1 << 20 || miniblocks <= 0
                || miniblocks > block || block % miniblocks != 0) {
            throw new IOException("a delta-packed header of " + header[2] + " values in blocks of " + block + " ("
                    + miniblocks + " miniblocks) in a page of " + values + " values");
        }
    }

    /** The RLE/bit-packed hybrid runs in {@code b[pos, end)}. */
    static void checkRuns(ByteBuffer b, int pos, int end, int width, int values, String what) throws IOException {
        while (pos < end) {
            long header = 0;
            int shift = 0;
            int bt;
            do {
                if (pos >= end || shift > 28) {
                    throw new IOException(what + ": a run header that does not end");
                }
                bt = b.get(pos++) & 0xff;
                header |= (long) (bt & 0x7f) << shift;
                shift += 7;
            } while ((bt & 0x80) != 0);
            long runValues = (header >>> 1) * (header % 2 == 1 ? 8 : 1);
            if (header % 2 == 0) {
                pos += (width + 7) / 8; // a repeated run: one value, however many times
                continue;
            }
            long runBytes = (header >>> 1) * width;
            // A run may stop short of its last group in files of some writers; never by more.
            if (runValues > values + 7L || runBytes > end - pos + width || (width == 0 && runValues > 1 << 16)) {
                throw new IOException(what + ": a bit-packed run of " + runValues + " values (" + runBytes
                        + " bytes) in a page of " + values + " values with " + (end - pos) + " bytes left");
            }
            pos += (int) runBytes;
        }
    }
}
