package dev.clickpipes.clickhouse.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The byte path for the usual timestamp reads every text it reads as the String path does. */
class DateTimeTextTest {

    private static final List<String> BASES = List.of("2026-05-01T00:00:00.031Z", "2024-02-29 23:59:59",
            "2024-03-31 02:30:00", "2024-10-27T02:30:00.123456789123z", "1970-01-01T00:00:00Z", "0000-01-01 00:00:00",
            "2024-05-01T12:30:45+02:00", "2024-05-01", "1714566600.5",
            "2023-02-28 10:00:00", "2000-02-29 00:00:00", "1900-02-29 00:00:00", "2100-12-31 23:59:59",
            "9999-12-31 23:59:59.999", "0004-02-29 00:00:00", "1969-12-31 23:59:59.5",
            "1700-01-01 00:00:00", "2240-12-31 23:59:59.999999999", "1699-12-31 23:59:59", "2241-01-01 00:00:00");
    private static final String REPLACEMENTS = "09:-T .Zz+a\u00e9";
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("Asia/Tokyo"), java.time.ZoneOffset.ofHoursMinutes(-3, -30));

    @Test
    void usualShapeAgreesWithTheStringPathAndLeavesTheRestToIt() {
        Set<String> texts = new LinkedHashSet<>(BASES);
        for (String base : BASES) {
            for (int i = 0; i < base.length(); i++) {
                texts.add(base.substring(0, i));
                texts.add(base.substring(0, i) + base.substring(i + 1));
                for (char c : REPLACEMENTS.toCharArray()) {
                    texts.add(base.substring(0, i) + c + base.substring(i + 1));
                }
            }
            texts.add(" " + base);
            texts.add(base + " ");
            texts.add(base + "0");
        }
        int read = 0;
        for (ZoneId zone : ZONES) {
            for (String text : texts) {
                byte[] utf8 = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
                int length = text.getBytes(StandardCharsets.UTF_8).length;
                long fast = DateTimeText.parseUsual(utf8, 2, length, zone);
                if (fast != DateTimeText.NOT_USUAL) {
                    read++;
                    assertThat(new DateTimeText.Instant(DateTimeText.packedSeconds(fast), DateTimeText.packedNanos(fast)))
                            .as(text + " in " + zone).isEqualTo(DateTimeText.parse(text.strip(), zone));
                }
            }
        }
        assertThat(read).as("texts the byte path read itself").isGreaterThan(100);
        assertThat(DateTimeText.parseUsual("2024-02-30 00:00:00".getBytes(StandardCharsets.US_ASCII), 0, 19,
                ZoneId.of("UTC"))).as("an invalid date is left to the String path, which refuses it")
                .isEqualTo(DateTimeText.NOT_USUAL);
    }
}
