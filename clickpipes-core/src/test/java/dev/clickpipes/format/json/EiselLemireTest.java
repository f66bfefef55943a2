package dev.clickpipes.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every double the fast path decides is bit for bit the one {@link Double#parseDouble} gives for the same text. */
class EiselLemireTest {

    /** Parses {@code digits × 10^exponent} both ways; true when the fast path decided. */
    static boolean check(long digits, int exponent, boolean negative) {
        double fast = EiselLemire.toDouble(digits, exponent, negative);
        String text = (negative ? "-" : "") + Long.toUnsignedString(digits) + "e" + exponent;
        if (Double.isNaN(fast)) {
            return false;
        }
        assertThat(Double.doubleToRawLongBits(fast)).as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        return true;
    }

    @Test
    void randomDigitsAtEveryExponentGiveTheJdksDouble() {
        Random r = new Random(20261203);
        int decided = 0;
        int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            int length = 1 + r.nextInt(19);
            long digits = Math.floorMod(r.nextLong(), 1_000_000_000_000_000_000L); // below 10^18 ...
            if (length == 19) {
                digits += (1 + r.nextInt(9)) * 1_000_000_000_000_000_000L; // ... or 19 digits, past Long.MAX_VALUE too
            } else {
                digits %= (long) Math.pow(10, length);
            }
            int exponent = EiselLemire.MIN_EXPONENT - 5 + r.nextInt(EiselLemire.MAX_EXPONENT - EiselLemire.MIN_EXPONENT + 10);
            if (check(digits, exponent, r.nextBoolean())) {
                decided++;
            }
        }
        // nearly every number in the normal range is decided; the rest go the slow way
        assertThat(decided).isGreaterThan(n / 2);
    }

    @Test
    void shortestFormsOfRandomDoublesGiveThemBack() {
        Random r = new Random(7);
        int decided = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
                continue;
            }
            BigDecimal exact = new BigDecimal(Double.toString(d)); // 17 significant digits at most
            long unscaled = exact.unscaledValue().abs().longValueExact();
            if (check(unscaled, -exact.scale(), d < 0)) {
                decided++;
                assertThat(EiselLemire.toDouble(unscaled, -exact.scale(), d < 0)).isEqualTo(d);
            }
        }
        assertThat(decided).isGreaterThan(900_000);
    }

    @Test
    void halfwayAndBoundaryCases() {
        // 2^53 + 1: exactly halfway between two doubles (rounds to even); 9007199254740993 = 2^53 + 1
        check(9007199254740993L, 0, false);
        check(9007199254740995L, 0, false);
        // the largest double and just past it, the smallest normal, subnormals
        check(17976931348623157L, 292, false);
        check(17976931348623159L, 292, false);
        check(22250738585072014L, -324, false);
        check(49406564584124654L, -340, false);
        check(1L, -400, false);
        check(1L, 400, false);
        check(-1L, 0, false); // 2^64 - 1, unsigned
        assertThat(EiselLemire.toDouble(0, 5, true)).isEqualTo(-0.0);
        assertThat(EiselLemire.toDouble(3, 0, false)).isEqualTo(3.0);
        assertThat(EiselLemire.toDouble(30000000000000004L, -17, false)).isEqualTo(0.30000000000000004);
    }
}
