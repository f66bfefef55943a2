package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.io.ParquetDecodingException;
import org.junit.jupiter.api.Test;

/** {@link RleBitPackedHybrid} reads what parquet-java's encoder writes, at every bit width, in reads of any size. */
class RleBitPackedHybridTest {

    @Test
    void readsWhatParquetJavaWritesAtEveryWidth() throws Exception {
        Random random = new Random(11);
        for (int width = 0; width <= 32; width++) {
            int n = 5_000 + random.nextInt(100);
            int[] values = new int[n];
            long bound = 1L << width;
            for (int i = 0; i < n; i++) {
                // runs of repeats (RLE) between stretches of noise (bit-packed)
                values[i] = i % 700 < 300 && i > 0 ? values[i - 1] : (int) (random.nextLong() & (bound - 1));
            }
            RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(width, 64, 1 << 20,
                    HeapByteBufferAllocator.getInstance());
            for (int v : values) {
                encoder.writeInt(v);
            }
            byte[] bytes = encoder.toBytes().toByteArray();
            RleBitPackedHybrid decoder = new RleBitPackedHybrid(ByteBuffer.wrap(bytes), 0, bytes.length, width);
            int[] out = new int[n];
            for (int off = 0; off < n; ) {
                int k = Math.min(n - off, 1 + random.nextInt(900));
                decoder.read(out, off, k);
                off += k;
            }
            assertThat(out).as("width %d", width).isEqualTo(values);
        }
    }

    @Test
    void aBitPackedRunCutShortReadsZerosAndARunHeaderPastTheEndFails() {
        // one bit-packed group of 8 values of 3 bits (3 bytes), cut to its first byte: 0b101_011 then zeros
        byte[] bytes = {3, (byte) 0b00101011};
        RleBitPackedHybrid decoder = new RleBitPackedHybrid(ByteBuffer.wrap(bytes), 0, bytes.length, 3);
        int[] out = new int[8];
        decoder.read(out, 0, 8);
        assertThat(out).containsExactly(3, 5, 0, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> decoder.read(out, 0, 1)).isInstanceOf(ParquetDecodingException.class);
    }
}
