package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.source.objectstore.gcs.GcsObjectStore;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gs:// through google-cloud-storage (the JSON API) against {@link GcsJsonApiServer} on
 * 127.0.0.1:19121: listing across pages and from startOffset, streamed media downloads, ranged
 * reads for Parquet, generations pinned, downloads cut short by {@link CuttingProxy} on :20703.
 */
class GcsJsonApiTest {

    static GcsJsonApiServer gcs;
    static CuttingProxy proxy;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        gcs = new GcsJsonApiServer(19121, "gbucket");
        for (int i = 0; i < 2500; i++) {
            gcs.put(String.format("logs/part-%04d.ndjson", i), TestPipes.events(i * 2, 2).getBytes(StandardCharsets.UTF_8));
        }
        gcs.put("logs/other.txt", "x".getBytes(StandardCharsets.UTF_8));
        proxy = new CuttingProxy(20703, 19121);
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (gcs != null) {
            gcs.close();
        }
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
    }

    @Test
    void listsAcrossPagesAndStreamsObjects() throws Exception {
        String t = db.table("g");
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, _path String) ENGINE = MergeTree ORDER BY id");
        ObjectStoreSource source = ObjectStoreSource.builder().url("gs://gbucket/logs/*.ndjson")
                .endpoint(gcs.endpoint()).auth(ObjectAuth.anonymous()).claimBatch(500).build();
        TestPipes.pipe("gcs", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(5000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(5000);
        assertThat(gcs.listPages.get()).isGreaterThanOrEqualTo(3); // 1000 a page
        assertThat(clickhouse.query("SELECT _path FROM " + t + " WHERE id = 7").strip())
                .isEqualTo("gbucket/logs/part-0003.ndjson");
    }

    @Test
    void parquetThroughRangedDownloads() throws Exception {
        Path file = Path.of(System.getProperty("clickpipes.corpus", "../../shared/corpus"),
                "parquet-testing", "alltypes_tiny_pages_plain.parquet").toAbsolutePath();
        Assumptions.assumeTrue(Files.exists(file), "no Parquet corpus at " + file);
        gcs.put("pq/n.parquet", Files.readAllBytes(file));
        String theirs = db.table("gpq_engine");
        clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                + file + "', Parquet)");
        String ours = db.table("gpq_ours");
        clickhouse.query("CREATE TABLE " + ours + " AS " + theirs);
        int before = gcs.rangedDownloads.get();
        ObjectStoreSource source = ObjectStoreSource.builder().url("gs://gbucket/pq/*.parquet")
                .endpoint(gcs.endpoint()).auth(ObjectAuth.anonymous()).build();
        TestPipes.pipe("gcs-pq", source, clickhouse, ours).build().run();
        assertThat(gcs.rangedDownloads.get() - before).isGreaterThanOrEqualTo(2); // footer, then column chunks (the file is 800 KB)
        assertThat(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + ours + " ORDER BY s"))
                .isEqualTo(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + theirs + " ORDER BY s"));
    }

    @Test
    void listingAfterAKeySendsOnlyWhatIsAfterIt() throws Exception {
        try (GcsObjectStore store = GcsObjectStore.create("gbucket", URI.create(gcs.endpoint()), null, true)) {
            int before = gcs.itemsListed.get();
            List<String> keys = new ArrayList<>();
            store.list("logs/", "logs/part-2399.ndjson").forEachRemaining(o -> keys.add(o.key()));
            assertThat(keys).hasSize(100).first().isEqualTo("logs/part-2400.ndjson");
            assertThat(keys).last().isEqualTo("logs/part-2499.ndjson");
            // the server sent the 100 and the one equal to startOffset (inclusive), not the 2 400 before
            assertThat(gcs.itemsListed.get() - before).isEqualTo(101);
        }
    }

    @Test
    void aNewGenerationAfterListingIsNotRead() throws Exception {
        gcs.put("gen/a.ndjson", TestPipes.events(0, 10).getBytes(StandardCharsets.UTF_8));
        try (GcsObjectStore store = GcsObjectStore.create("gbucket", URI.create(gcs.endpoint()), null, true)) {
            ObjectInfo listed = store.list("gen/a.ndjson", null).next();
            gcs.put("gen/a.ndjson", TestPipes.events(100, 10).getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.open(listed, 0).readAllBytes())
                    .isInstanceOfSatisfying(ObjectChangedException.class, e -> {
                        assertThat(e.listedVersion()).isEqualTo(listed.version());
                        assertThat(Long.parseLong(e.currentVersion())).isGreaterThan(Long.parseLong(listed.version()));
                    })
                    .hasMessageContaining("gs://gbucket/gen/a.ndjson changed since it was listed");
            assertThatThrownBy(() -> store.read(listed, 0, new byte[10], 0, 10)).isInstanceOf(ObjectChangedException.class);
        }
    }

    @Test
    void gzipObjectLoadsEveryLineThroughCutDownloads() throws Exception {
        int rows = 40_000;
        gcs.put("flaky/big.ndjson.gz", S3ObjectStoreTest.gzip(TestPipes.events(0, rows)));
        String t = db.table("gflaky");
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        proxy.cut(3, 40_000, "flaky%2Fbig.ndjson.gz");
        ObjectStoreSource source = ObjectStoreSource.builder().url("gs://gbucket/flaky/*.ndjson.gz")
                .endpoint(proxy.endpoint()).auth(ObjectAuth.anonymous()).build();
        TestPipes.pipe("gcs-flaky", source, clickhouse, t).build().run();
        assertThat(proxy.cutsDone()).isEqualTo(3);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(rows);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + t)).isEqualTo((long) rows * (rows - 1) / 2);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(rows);
    }
}
