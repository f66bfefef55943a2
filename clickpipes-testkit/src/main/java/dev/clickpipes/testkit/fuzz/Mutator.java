package dev.clickpipes.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated inputs for fuzzing decoders, in the manner of AFL's havoc stage: bit flips,
 * interesting bytes and numbers (0, -1, 0x7f, 0x80, 2^31, varints near 2^31 and 2^62), inserted,
 * deleted, duplicated and spliced ranges, truncation, and the format's own tokens (quotes,
 * delimiters, newlines, brackets). Deterministic for a given {@link Random}.
 */
public final class Mutator {

    private static final byte[][] TOKENS = bytes("\"", ",", "\t", "\n", "\r\n", "\\", "{", "}", "[", "]", ":", "null",
            "\"\"", "1e400", "-0", "9223372036854775808", "\\u0000", "\\ud800", "NaN", "\u00e9", "\ufffd", "\\N",
            "2024-13-45 25:61:61", "::ffff:1.2.3.4", "00000000-0000-0000-0000-00000000000g", "\u0000");
    /** Avro / Thrift varints that declare huge lengths and counts. */
    private static final byte[][] VARINTS = {
            {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},                       // 2^31 - 1 (zig-zag)
            {(byte) 0xe0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},                       // 2^31 - 16
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, // 2^62
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
            {0x01}, {0x7f}, {(byte) 0x80, 0x01}};

    private Mutator() {
    }

    private static byte[][] bytes(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Random bytes, up to {@code max} of them; a third of the time printable ASCII. */
    public static byte[] random(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        if (r.nextInt(3) == 0) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (32 + (b[i] & 0x7f) % 95);
            }
        }
        return b;
    }

    /** {@code seed} after 1 to 8 random mutations; {@code corpus} lends ranges for splicing. */
    public static byte[] mutate(byte[] seed, Random r, List<byte[]> corpus) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(r.nextBoolean() ? 2 : 8);
        for (int i = 0; i < n; i++) {
            b = once(b, r, corpus);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random r, List<byte[]> corpus) {
        int len = b.length;
        switch (r.nextInt(11)) {
            case 0 -> { // flip a bit
                if (len > 0) {
                    b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> { // an interesting byte
                if (len > 0) {
                    int[] v = {0, 0xff, 0x7f, 0x80, 0x01, '"', '\n', ',', '\t', '\\'};
                    b[r.nextInt(len)] = (byte) v[r.nextInt(v.length)];
                }
                return b;
            }
            case 2 -> { // a random byte
                if (len > 0) {
                    b[r.nextInt(len)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 3 -> { // delete a range
                if (len == 0) {
                    return b;
                }
                int at = r.nextInt(len);
                int cut = 1 + r.nextInt(Math.min(len - at, 16));
                byte[] out = new byte[len - cut];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + cut, out, at, len - at - cut);
                return out;
            }
            case 4 -> { // duplicate a range
                if (len == 0 || len > 1 << 20) {
                    return b;
                }
                int at = r.nextInt(len);
                int dup = 1 + r.nextInt(Math.min(len - at, 64));
                return insert(b, r.nextInt(len + 1), Arrays.copyOfRange(b, at, at + dup));
            }
            case 5 -> { // a format token
                return insert(b, r.nextInt(len + 1), TOKENS[r.nextInt(TOKENS.length)]);
            }
            case 6 -> { // a huge varint, inserted or over
                byte[] v = VARINTS[r.nextInt(VARINTS.length)];
                if (r.nextBoolean() || len < v.length) {
                    return insert(b, r.nextInt(len + 1), v);
                }
                System.arraycopy(v, 0, b, r.nextInt(len - v.length + 1), v.length);
                return b;
            }
            case 7 -> { // a 32-bit big- or little-endian extreme over 4 bytes
                if (len >= 4) {
                    int[] v = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0, 0x7ffffff0, 65536};
                    int x = v[r.nextInt(v.length)];
                    int at = r.nextInt(len - 3);
                    boolean big = r.nextBoolean();
                    for (int k = 0; k < 4; k++) {
                        b[at + k] = (byte) (big ? x >>> (24 - 8 * k) : x >>> (8 * k));
                    }
                }
                return b;
            }
            case 8 -> { // truncate
                return len == 0 ? b : Arrays.copyOf(b, r.nextInt(len));
            }
            case 9 -> { // splice a range of another input
                if (corpus.isEmpty()) {
                    return b;
                }
                byte[] o = corpus.get(r.nextInt(corpus.size()));
                if (o.length == 0) {
                    return b;
                }
                int at = r.nextInt(o.length);
                return insert(b, r.nextInt(len + 1), Arrays.copyOfRange(o, at, at + 1 + r.nextInt(Math.min(o.length - at, 256))));
            }
            default -> { // repeat a byte many times
                if (len == 0) {
                    return b;
                }
                byte[] run = new byte[1 + r.nextInt(r.nextInt(10) == 0 ? 100_000 : 300)];
                Arrays.fill(run, b[r.nextInt(len)]);
                return insert(b, r.nextInt(len + 1), run);
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }
}
