package dev.clickpipes.format.json;

import java.math.BigInteger;

/**
 * The double nearest to {@code mantissa × 10^exponent}, by the Eisel–Lemire algorithm (Lemire,
 * "Number parsing at a gigabyte per second", 2021; as Go's {@code strconv} and Rust's core library
 * do it): one or two 64×128-bit multiplications by a truncated power of ten, and an answer only when
 * the truncation cannot have changed the rounding. When it could (rare: near halfway cases,
 * subnormals, overflow) the answer is NaN and the caller parses the text the slow, exact way.
 * The JSON reader uses it for numbers of 16 to 19 significant digits, which the exact one-operation
 * path cannot take and {@link Double#parseDouble} took at several times the cost.
 */
final class EiselLemire {

    static final int MIN_EXPONENT = -348;
    static final int MAX_EXPONENT = 347;
    /** For each power of ten from 10^-348 to 10^347, its 128 most significant bits (high, low), rounded down. */
    private static final long[] POWERS = powers();

    private EiselLemire() {
    }

    /** The double nearest to {@code ±mantissa × 10^exponent} ({@code mantissa} unsigned), or NaN when undecided. */
    static double toDouble(long mantissa, int exponent, boolean negative) {
        if (mantissa == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            return Double.NaN;
        }
        int leadingZeros = Long.numberOfLeadingZeros(mantissa);
        long man = mantissa << leadingZeros;
        long exp2 = ((217706L * exponent) >> 16) + 64 + 1023 - leadingZeros;
        int i = 2 * (exponent - MIN_EXPONENT);
        long powHigh = POWERS[i];
        long powLow = POWERS[i + 1];
        long xHigh = unsignedMultiplyHigh(man, powHigh);
        long xLow = man * powHigh;
        if ((xHigh & 0x1FF) == 0x1FF && Long.compareUnsigned(xLow + man, man) < 0) {
            // the truncated low half of the power may matter: take it into account
            long yHigh = unsignedMultiplyHigh(man, powLow);
            long yLow = man * powLow;
            long mergedHigh = xHigh;
            long mergedLow = xLow + yHigh;
            if (Long.compareUnsigned(mergedLow, xLow) < 0) {
                mergedHigh++;
            }
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow + 1 == 0 && Long.compareUnsigned(yLow + man, man) < 0) {
                return Double.NaN;
            }
            xHigh = mergedHigh;
            xLow = mergedLow;
        }
        long msb = xHigh >>> 63;
        long result = xHigh >>> (msb + 9);
        exp2 -= 1 ^ msb;
        if (xLow == 0 && (xHigh & 0x1FF) == 0 && (result & 3) == 1) {
            return Double.NaN; // exactly halfway: the slow path rounds to even
        }
        result += result & 1;
        result >>>= 1;
        if ((result >>> 53) > 0) {
            result >>>= 1;
            exp2++;
        }
        if (Long.compareUnsigned(exp2 - 1, 0x7FF - 1) >= 0) {
            return Double.NaN; // subnormal, infinite: the slow path
        }
        long bits = exp2 << 52 | result & 0x000F_FFFF_FFFF_FFFFL;
        return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
    }

    /** The high 64 bits of the unsigned 128-bit product (Java 18 has Math.unsignedMultiplyHigh). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static long[] powers() {
        long[] table = new long[2 * (MAX_EXPONENT - MIN_EXPONENT + 1)];
        BigInteger ten = BigInteger.TEN;
        for (int e = MIN_EXPONENT; e <= MAX_EXPONENT; e++) {
            BigInteger top;
            if (e >= 0) {
                BigInteger p = ten.pow(e);
                int shift = p.bitLength() - 128;
                top = shift >= 0 ? p.shiftRight(shift) : p.shiftLeft(-shift);
            } else {
                BigInteger p = ten.pow(-e);
                // 2^s / 10^-e with s chosen so that the quotient has exactly 128 bits
                int s = p.bitLength() + 127;
                top = BigInteger.ONE.shiftLeft(s).divide(p);
                if (top.bitLength() > 128) {
                    top = BigInteger.ONE.shiftLeft(s - 1).divide(p);
                }
            }
            int i = 2 * (e - MIN_EXPONENT);
            table[i] = top.shiftRight(64).longValue();
            table[i + 1] = top.longValue();
        }
        return table;
    }
}
