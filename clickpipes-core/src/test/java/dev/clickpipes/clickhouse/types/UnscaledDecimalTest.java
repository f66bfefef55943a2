package dev.clickpipes.clickhouse.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Column#appendDecimal(long, int)} writes what {@link Column#appendDecimal(BigDecimal)} writes of the same value, and refuses what it refuses. */
class UnscaledDecimalTest {

    private static final long[] VALUES = {0, 1, -1, 12_345, -99_999_999, 999_999_999, -999_999_999, 1_000_000_000,
        123_456_789_012_345_678L, -999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void writesTheBytesAppendDecimalWrites() throws Exception {
        String[] types = {"Decimal(9, 2)", "Decimal(18, 4)", "Decimal(38, 4)", "Decimal(76, 4)", "Nullable(Decimal(18, 4))",
            "Decimal(18, 2)", "Float64", "String", "Int64"};
        for (String type : types) {
            for (int scale : new int[] {2, 4}) {
                for (long v : VALUES) {
                    Column fast = Columns.create("c", DataType.parse(type), ZoneOffset.UTC);
                    Column slow = Columns.create("c", DataType.parse(type), ZoneOffset.UTC);
                    Throwable fastError = error(() -> fast.appendDecimal(v, scale));
                    Throwable slowError = error(() -> slow.appendDecimal(BigDecimal.valueOf(v, scale)));
                    assertThat(String.valueOf(fastError)).as("%s, %d scale %d", type, v, scale)
                            .isEqualTo(String.valueOf(slowError));
                    assertThat(bytes(fast)).as("%s, %d scale %d", type, v, scale).isEqualTo(bytes(slow));
                }
            }
        }
    }

    @Test
    void aValueWithMoreDigitsThanThePrecisionIsRefused() {
        Column c = Columns.create("c", DataType.parse("Decimal(9, 2)"), ZoneOffset.UTC);
        assertThatThrownBy(() -> c.appendDecimal(1_000_000_000L, 2)).isInstanceOf(ValueConversionException.class);
    }

    private interface Append {
        void run() throws Exception;
    }

    private static Throwable error(Append a) {
        try {
            a.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static byte[] bytes(Column c) {
        NativeBuffer out = new NativeBuffer();
        c.writePrefix(out);
        c.writeTo(out);
        return Arrays.copyOf(out.array(), out.size());
    }
}
