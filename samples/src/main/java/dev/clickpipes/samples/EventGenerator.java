package dev.clickpipes.samples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic web-analytics events as NDJSON, deterministic for a seed: a timestamp, a skewed event
 * type, user and session ids, a page, a duration, a price, a flag, tags, a country and a sometimes
 * missing referrer. About 330 bytes an event.
 */
public final class EventGenerator {

    /** The table the events fit. */
    public static final String TABLE_COLUMNS = """
            event_time DateTime64(3),
            event_type LowCardinality(String),
            user_id UInt64,
            session_id UUID,
            page String,
            duration_ms UInt32,
            price Float64,
            is_mobile Bool,
            tags Array(String),
            country LowCardinality(String),
            referrer Nullable(String)""";

    private static final String[] TYPES = {"page_view", "page_view", "page_view", "page_view", "click", "click",
        "scroll", "add_to_cart", "search", "purchase", "signup", "logout"};
    private static final String[] PAGES = {"/", "/pricing", "/docs/getting-started", "/docs/api", "/blog",
        "/blog/2026/clickhouse-at-scale", "/cart", "/checkout", "/account", "/search"};
    private static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "IN", "BR", "JP", "NL", "CA", "ES"};
    private static final String[] TAGS = {"new", "returning", "mobile", "campaign-spring", "beta", "vip", "ab-test-b"};
    private static final String[] REFERRERS = {"https://www.google.com/", "https://news.ycombinator.com/",
        "https://github.com/", "https://twitter.com/"};
    private static final long START_MILLIS = 1_777_593_600_000L; // 2026-05-01T00:00:00Z

    private EventGenerator() {
    }

    /**
     * Writes {@code count} events to {@code file}; every {@code badEvery}-th line (if > 0) is broken
     * JSON, as a real stream has now and then.
     */
    public static void write(Path file, int count, int badEvery) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder line = new StringBuilder(512);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                line.setLength(0);
                if (badEvery > 0 && i % badEvery == badEvery - 1) {
                    line.append("{\"event_time\": \"2026-05-01T00:00:00Z\", \"event_type\": \"click\", \"user_id\": ");
                } else {
                    event(random, i, line);
                }
                out.append(line).append('\n');
            }
        }
    }

    private static void event(SplittableRandom r, int i, StringBuilder b) {
        long millis = START_MILLIS + i * 37L + r.nextInt(1000);
        String type = TYPES[r.nextInt(TYPES.length)];
        b.append("{\"event_time\":\"").append(java.time.Instant.ofEpochMilli(millis)).append('"');
        b.append(",\"event_type\":\"").append(type).append('"');
        b.append(",\"user_id\":").append(100_000 + r.nextInt(50_000));
        b.append(",\"session_id\":\"").append(new UUID(r.nextLong(), r.nextLong())).append('"');
        b.append(",\"page\":\"").append(PAGES[r.nextInt(PAGES.length)]).append("?utm_source=newsletter&ref=")
                .append(Integer.toHexString(r.nextInt())).append('"');
        b.append(",\"duration_ms\":").append(r.nextInt(120_000));
        b.append(",\"price\":").append("purchase".equals(type) ? Math.round(r.nextDouble() * 50_000) / 100.0 : 0.0);
        b.append(",\"is_mobile\":").append(r.nextInt(3) == 0);
        b.append(",\"tags\":[");
        int tags = r.nextInt(4);
        for (int t = 0; t < tags; t++) {
            b.append(t == 0 ? "" : ",").append('"').append(TAGS[r.nextInt(TAGS.length)]).append('"');
        }
        b.append("],\"country\":\"").append(COUNTRIES[r.nextInt(COUNTRIES.length)]).append('"');
        b.append(",\"referrer\":");
        if (r.nextInt(4) == 0) {
            b.append("null");
        } else {
            b.append('"').append(REFERRERS[r.nextInt(REFERRERS.length)]).append('"');
        }
        b.append(",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\"}");
    }
}
