package dev.clickpipes.format.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one flat column chunk (not repeated, at most one definition level) of a row group in
 * bulk into a window's arrays, without parquet-java's column reader: definition levels to null
 * flags, PLAIN values copied or widened, dictionary indices looked up in the dictionary decoded
 * once. Data pages v1 and v2. {@link #supports} says which chunks it reads; the others go through
 * parquet-java's column reader unchanged. Not thread-safe.
 */
final class ColumnChunkDecoder {

    private final BufferedChunk chunk;
    private final FlatColumns.Storage storage;
    private final PrimitiveTypeName physical;
    private final int fixedLength;
    private final boolean unsigned32;
    private final boolean optional;
    private final PrimitiveConverter converter;
    /** The value {@link #converter} made last. */
    private Object made;
    private final DictionaryPageDecoder dictionary;
    private int nextPage;
    private int leftInPage;
    private RleBitPackedHybrid levels;
    private PlainPageDecoder plain;
    private RleBitPackedHybrid indices;
    private int[] levelScratch = new int[0];
    private int[] indexScratch = new int[0];
    /** Rows filled in the current {@link #fill} call, for the caller to keep when it fails part way. */
    int filled;

    /** True when every page of {@code chunk} is of an encoding read here. */
    static boolean supports(ColumnDescriptor column, BufferedChunk chunk) {
        PrimitiveTypeName physical = column.getPrimitiveType().getPrimitiveTypeName();
        if (column.getMaxRepetitionLevel() != 0 || column.getMaxDefinitionLevel() > 1 || physical == PrimitiveTypeName.INT96) {
            return false;
        }
        boolean dictionary = chunk.dictionary != null;
        // a dictionary parquet-java would refuse at the chunk's start (another encoding, booleans, entries past
        // the bytes a page may hold) is refused there by parquet-java itself
        if (dictionary && (physical == PrimitiveTypeName.BOOLEAN
                || (chunk.dictionary.getEncoding() != Encoding.PLAIN && chunk.dictionary.getEncoding() != Encoding.PLAIN_DICTIONARY)
                || chunk.dictionary.getUncompressedSize() > ParquetCodecs.MAX_PAGE_BYTES)) {
            return false;
        }
        for (DataPage page : chunk.pages) {
            Encoding values;
            if (page instanceof DataPageV1 v1) {
                if (column.getMaxDefinitionLevel() > 0 && v1.getDlEncoding() != Encoding.RLE) {
                    return false;
                }
                values = v1.getValueEncoding();
            } else if (page instanceof DataPageV2 v2) {
                values = v2.getDataEncoding();
            } else {
                return false;
            }
            boolean ok = values == Encoding.PLAIN
                    || (dictionary && (values == Encoding.RLE_DICTIONARY || values == Encoding.PLAIN_DICTIONARY));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A decoder of {@code chunk}, which {@link #supports} accepted; decodes its dictionary now. */
    ColumnChunkDecoder(ColumnDescriptor column, FlatColumns.Storage storage, BufferedChunk chunk) {
        PrimitiveType type = column.getPrimitiveType();
        this.chunk = chunk;
        this.storage = storage;
        this.physical = type.getPrimitiveTypeName();
        this.fixedLength = type.getTypeLength();
        this.unsigned32 = FlatColumns.isUnsigned32(type);
        this.optional = column.getMaxDefinitionLevel() > 0;
        this.converter = storage == FlatColumns.Storage.OBJECT ? RowAssembler.primitiveConverter(type, v -> made = v) : null;
        this.dictionary = chunk.dictionary == null ? null
                : DictionaryPageDecoder.decode(chunk.dictionary, storage, physical, fixedLength, unsigned32, converter,
                        () -> made);
    }

    /**
     * Fills rows {@code [0, rows)} of the arrays (those of this column's storage; {@code nulls}
     * when the column is optional).
     *
     * @throws RuntimeException for a page it cannot read, with {@link #filled} the rows filled before it
     */
    void fill(boolean[] nulls, long[] longs, double[] doubles, Object[] objects, int rows) {
        filled = 0;
        while (filled < rows) {
            if (leftInPage == 0) {
                startPage();
                continue;
            }
            int n = Math.min(rows - filled, leftInPage);
            segment(nulls, longs, doubles, objects, filled, n);
            leftInPage -= n;
            filled += n;
        }
    }

    /** Rows {@code [from, from + n)}, all in the current page. */
    private void segment(boolean[] nulls, long[] longs, double[] doubles, Object[] objects, int from, int n) {
        int present = n;
        if (optional) {
            if (levelScratch.length < n) {
                levelScratch = new int[Math.max(n, FlatColumns.WINDOW_ROWS)];
            }
            levels.read(levelScratch, 0, n);
            present = 0;
            for (int i = 0; i < n; i++) {
                boolean isNull = levelScratch[i] != 1;
                nulls[from + i] = isNull;
                present += isNull ? 0 : 1;
            }
        }
        // the present values first, at the start of the rows; then spread out to their rows
        if (plain != null) {
            switch (storage) {
                case LONG -> plain.readLongs(longs, from, present);
                case DOUBLE -> plain.readDoubles(doubles, from, present);
                case OBJECT -> plain.readObjects(objects, from, present, converter, () -> made);
            }
        } else {
            lookUp(longs, doubles, objects, from, present);
        }
        if (present < n) {
            spread(nulls, longs, doubles, objects, from, n, present);
        }
    }

    private void lookUp(long[] longs, double[] doubles, Object[] objects, int from, int n) {
        if (indexScratch.length < n) {
            indexScratch = new int[Math.max(n, FlatColumns.WINDOW_ROWS)];
        }
        int[] ids = indexScratch;
        indices.read(ids, 0, n);
        int size = dictionary.size;
        for (int i = 0; i < n; i++) {
            if (Integer.compareUnsigned(ids[i], size) >= 0) {
                throw new ParquetDecodingException("dictionary index " + Integer.toUnsignedString(ids[i])
                        + " in a dictionary of " + size + " entries");
            }
        }
        switch (storage) {
            case LONG -> {
                long[] d = dictionary.longs;
                for (int i = 0; i < n; i++) {
                    longs[from + i] = d[ids[i]];
                }
            }
            case DOUBLE -> {
                double[] d = dictionary.doubles;
                for (int i = 0; i < n; i++) {
                    doubles[from + i] = d[ids[i]];
                }
            }
            case OBJECT -> {
                Object[] d = dictionary.objects;
                for (int i = 0; i < n; i++) {
                    objects[from + i] = d[ids[i]];
                }
            }
        }
    }

    /** Moves the {@code present} values at {@code from} to the rows whose null flag is false, from the last back. */
    private void spread(boolean[] nulls, long[] longs, double[] doubles, Object[] objects, int from, int n, int present) {
        int src = from + present - 1;
        for (int i = from + n - 1; i >= from; i--) {
            if (nulls[i]) {
                switch (storage) {
                    case LONG -> longs[i] = 0;
                    case DOUBLE -> doubles[i] = 0;
                    case OBJECT -> objects[i] = null;
                }
            } else {
                switch (storage) {
                    case LONG -> longs[i] = longs[src--];
                    case DOUBLE -> doubles[i] = doubles[src--];
                    case OBJECT -> objects[i] = objects[src--];
                }
            }
        }
    }

    private void startPage() {
        if (nextPage == chunk.pages.size()) {
            if (chunk.failure != null) {
                throw chunk.failure;
            }
            throw new ParquetDecodingException("the column chunk ends before the row group's rows");
        }
        DataPage page = chunk.pages.get(nextPage++);
        int values = page.getValueCount();
        if (values < 0) {
            throw new ParquetDecodingException("a page of " + values + " values");
        }
        try {
            if (page instanceof DataPageV1 v1) {
                ByteBuffer b = v1.getBytes().toByteBuffer();
                int pos = b.position();
                if (optional) {
                    if (b.limit() - pos < 4) {
                        throw new ParquetDecodingException("definition levels: the page ends before their length");
                    }
                    int length = Integer.reverseBytes(b.getInt(pos));
                    if (length < 0 || length > b.limit() - pos - 4) {
                        throw new ParquetDecodingException("definition levels of " + length + " bytes in a page of "
                                + (b.limit() - pos - 4));
                    }
                    levels = new RleBitPackedHybrid(b, pos + 4, pos + 4 + length, 1);
                    pos += 4 + length;
                }
                startValues(v1.getValueEncoding(), b, pos);
            } else {
                DataPageV2 v2 = (DataPageV2) page;
                if (optional) {
                    ByteBuffer d = bytes(v2.getDefinitionLevels());
                    levels = new RleBitPackedHybrid(d, d.position(), d.limit(), 1);
                }
                ByteBuffer b = bytes(v2.getData());
                startValues(v2.getDataEncoding(), b, b.position());
            }
        } catch (IOException e) {
            throw new ParquetDecodingException("cannot read a page: " + e.getMessage(), e);
        }
        leftInPage = values;
    }

    private static ByteBuffer bytes(BytesInput in) throws IOException {
        return in.toByteBuffer();
    }

    private void startValues(Encoding encoding, ByteBuffer b, int pos) {
        if (encoding == Encoding.PLAIN) {
            plain = new PlainPageDecoder(b, pos, b.limit(), physical, fixedLength, unsigned32);
            indices = null;
        } else {
            plain = null;
            int width = pos < b.limit() ? b.get(pos) & 0xff : 0;
            if (width > 32) {
                throw new ParquetDecodingException("dictionary indices of " + width + " bits");
            }
            // an empty page (all nulls) has no width byte: its first index read fails, as parquet-java's does
            indices = pos < b.limit() ? new RleBitPackedHybrid(b, pos + 1, b.limit(), width)
                    : new RleBitPackedHybrid(b, pos, pos, 1);
        }
    }
}
