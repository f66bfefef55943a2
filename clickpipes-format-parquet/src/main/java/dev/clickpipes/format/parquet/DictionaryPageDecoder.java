package dev.clickpipes.format.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A column chunk's dictionary, decoded once from its (PLAIN) dictionary page into the form the
 * window holds values in: longs, doubles, or objects converted once per entry. Dictionary-encoded
 * values then look their index up here. Immutable once made.
 */
final class DictionaryPageDecoder {

    final long[] longs;
    final double[] doubles;
    final Object[] objects;
    final int size;

    private DictionaryPageDecoder(long[] longs, double[] doubles, Object[] objects, int size) {
        this.longs = longs;
        this.doubles = doubles;
        this.objects = objects;
        this.size = size;
    }

    /**
     * Decodes {@code page}'s entries as {@code storage} holds them; OBJECT entries through
     * {@code converter}, taking each made value from {@code made}.
     */
    static DictionaryPageDecoder decode(DictionaryPage page, FlatColumns.Storage storage, PrimitiveTypeName physical,
            int fixedLength, boolean unsigned32, PrimitiveConverter converter, java.util.function.Supplier<Object> made) {
        ByteBuffer b;
        try {
            b = page.getBytes().toByteBuffer();
        } catch (IOException e) {
            throw new ParquetDecodingException("cannot read the dictionary page: " + e.getMessage(), e);
        }
        int n = page.getDictionarySize();
        PlainPageDecoder plain = new PlainPageDecoder(b, b.position(), b.limit(), physical, fixedLength, unsigned32);
        return switch (storage) {
            case LONG -> {
                long[] v = new long[n];
                plain.readLongs(v, 0, n);
                yield new DictionaryPageDecoder(v, null, null, n);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                plain.readDoubles(v, 0, n);
                yield new DictionaryPageDecoder(null, v, null, n);
            }
            case OBJECT -> {
                Object[] v = new Object[n];
                plain.readObjects(v, 0, n, converter, made);
                yield new DictionaryPageDecoder(null, null, v, n);
            }
        };
    }
}
