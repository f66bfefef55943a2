package dev.clickpipes.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XxHash64Test {

    /**
     * Published XXH64 values (seed 0, as in the python-xxhash README), each also what ClickHouse
     * 26.5's {@code hex(xxHash64(s))} prints; the 90-byte value is ClickHouse's alone. Lengths 0, 1,
     * 3, 6, 39 and 90 cover the short path, the 8-, 4- and 1-byte tails and whole 32-byte stripes.
     */
    @Test
    void matchesTheReferenceValues() {
        assertThat(hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(hash("xxhash")).isEqualTo(0x32DD38952C4BC720L);
        assertThat(hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
        assertThat(hash("The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog!!"))
                .isEqualTo(0x79698C587D1CE8BFL);
    }

    @Test
    void givesTheSameValueHoweverTheBytesAreSplit() {
        Random random = new Random(11);
        for (int length : new int[] {0, 1, 7, 31, 32, 33, 63, 64, 65, 1000, 4099}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            long whole = new XxHash64().update(data, 0, length).value();
            for (int trial = 0; trial < 20; trial++) {
                XxHash64 pieces = new XxHash64();
                int at = 0;
                while (at < length) {
                    int n = Math.min(length - at, random.nextInt(40));
                    pieces.update(data, at, n);
                    at += n;
                }
                assertThat(pieces.value()).as("length %d", length).isEqualTo(whole);
            }
        }
    }

    @Test
    void aLengthPrefixIsItsFourBigEndianBytes() {
        byte[] prefixed = {0, 0, 1, 44, 'x'};
        assertThat(new XxHash64().updateInt(300).update(new byte[] {'x'}, 0, 1).value())
                .isEqualTo(new XxHash64().update(prefixed, 0, prefixed.length).value());
    }

    @Test
    void lengthPrefixesAmongOtherBytesHashAsTheirBigEndianBytes() {
        // prefixes land at every offset of the 32-byte stripe, as they do between records of any length
        Random random = new Random(12);
        for (int trial = 0; trial < 200; trial++) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            XxHash64 fed = new XxHash64();
            for (int record = random.nextInt(40); record > 0; record--) {
                int value = random.nextInt();
                byte[] data = new byte[random.nextInt(12)];
                random.nextBytes(data);
                fed.updateInt(value).update(data, 0, data.length);
                bytes.writeBytes(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
                bytes.writeBytes(data);
            }
            byte[] all = bytes.toByteArray();
            assertThat(fed.value()).as("trial %d", trial).isEqualTo(new XxHash64().update(all, 0, all.length).value());
        }
    }

    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new XxHash64().update(b, 0, b.length).value();
    }
}
