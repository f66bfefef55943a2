package dev.clickpipes.clickhouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.data.ClickHouseCityHash;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CityHash128} gives the checksum clickhouse-data's {@code ClickHouseCityHash} gives (the
 * one client-v2 frames its compressed blocks with) for every length up to 1 100 bytes, where each
 * branch of the function and each tail length is taken, at odd offsets in a larger array, and for
 * blocks of the sizes a body is cut into. That the servers accept it is {@link CompressedInsertTest}.
 */
class CityHash128Test {

    @Test
    void matchesClickHouseCityHashForEveryShortLength() {
        Random random = new Random(16);
        byte[] data = new byte[1200];
        for (int len = 0; len <= 1100; len++) {
            random.nextBytes(data);
            int pos = random.nextInt(data.length - len + 1);
            assertThat(CityHash128.hash(data, pos, len)).as("length %d at %d", len, pos)
                    .containsExactly(ClickHouseCityHash.cityHash128(data, pos, len));
        }
    }

    @Test
    void matchesClickHouseCityHashForBlockSizedInputs() {
        Random random = new Random(17);
        byte[] data = new byte[CompressedBody.BLOCK + CompressedBody.HEADER + 100];
        random.nextBytes(data);
        for (int len : new int[] {4095, 65_536, 1_000_003, CompressedBody.BLOCK + 9}) {
            assertThat(CityHash128.hash(data, 7, len)).as("length %d", len)
                    .containsExactly(ClickHouseCityHash.cityHash128(data, 7, len));
        }
    }

    @Test
    void writesLowThenHighLittleEndian() {
        byte[] data = "abcdefghijklmnopqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[20];
        CityHash128.hashInto(data, 0, data.length, out, 2);
        long[] expected = ClickHouseCityHash.cityHash128(data, 0, data.length);
        for (int i = 0; i < 8; i++) {
            assertThat(out[2 + i]).isEqualTo((byte) (expected[0] >>> (8 * i)));
            assertThat(out[10 + i]).isEqualTo((byte) (expected[1] >>> (8 * i)));
        }
    }
}
