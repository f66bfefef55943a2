package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.source.objectstore.s3.S3ObjectStore;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads that survive a flaky network, and that never mix two versions of an object: S3Proxy on
 * 127.0.0.1:20702 behind {@link CuttingProxy} on :20701, which cuts responses short; the pipe
 * loads into the embedded engine.
 */
class ResumableReadTest {

    static final String BUCKET = "flaky";
    static final int ROWS = 40_000;
    static S3ProxyServer s3proxy;
    static CuttingProxy proxy;
    static S3Client s3;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3proxy = new S3ProxyServer(20702, false);
        proxy = new CuttingProxy(20701, 20702);
        s3 = s3proxy.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        put("r/plain.ndjson", TestPipes.events(0, ROWS).getBytes(StandardCharsets.UTF_8));
        put("r/gz.ndjson.gz", S3ObjectStoreTest.gzip(TestPipes.events(0, ROWS)));
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
        Path parquet = dir.resolve("rows.parquet");
        clickhouse.query("INSERT INTO FUNCTION file('" + parquet + "', Parquet, 'id UInt32, name String, v Float64') "
                + "SELECT number, concat('n', toString(number)), number * 0.5 FROM numbers(" + ROWS + ") "
                + "SETTINGS output_format_parquet_row_group_size = 5000");
        put("r/rows.parquet", Files.readAllBytes(parquet));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    static void put(String key, byte[] body) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    static String table(String name) throws Exception {
        String t = db.table(name);
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64) ENGINE = MergeTree ORDER BY id");
        return t;
    }

    /** The store as the source builds it, through the proxy. */
    static S3ObjectStore store() {
        return new S3ObjectStore(S3Clients.build(URI.create(proxy.endpoint()), "us-east-1", true, false,
                ObjectAuth.anonymous(), true), BUCKET, "s3", "S3Proxy behind the cutting proxy");
    }

    static ObjectInfo listed(S3ObjectStore store, String key) throws Exception {
        Iterator<ObjectInfo> it = store.list(key, null);
        ObjectInfo o = it.next();
        assertThat(o.key()).isEqualTo(key);
        return o;
    }

    void loadsEveryRowThroughCuts(String key, long cutAfter) throws Exception {
        String t = table("t_" + key.replaceAll("[^a-z]", "_"));
        int before = proxy.cutsDone();
        proxy.cut(3, cutAfter, "/" + BUCKET + "/" + key);
        ObjectStoreSource source = ObjectStoreSource.builder().url(proxy.endpoint() + "/" + BUCKET + "/" + key)
                .auth(ObjectAuth.anonymous()).build();
        TestPipes.pipe("flaky-" + key.replaceAll("[^a-z]", "-"), source, clickhouse, t).build().run();
        assertThat(proxy.cutsDone() - before).as("responses cut").isEqualTo(3);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(ROWS);
        assertThat(clickhouse.queryLong("SELECT sum(id) FROM " + t)).isEqualTo((long) ROWS * (ROWS - 1) / 2);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(ROWS);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t + " WHERE name != concat('n', toString(id))")).isZero();
    }

    @Test
    void plainObjectLoadsEveryLineThroughCutConnections() throws Exception {
        loadsEveryRowThroughCuts("r/plain.ndjson", 300_000);
    }

    @Test
    void gzipObjectLoadsEveryLineThroughCutConnections() throws Exception {
        loadsEveryRowThroughCuts("r/gz.ndjson.gz", 40_000);
    }

    @Test
    void parquetObjectLoadsEveryRowThroughCutRangedReads() throws Exception {
        loadsEveryRowThroughCuts("r/rows.parquet", 20_000);
    }

    @Test
    void anObjectOverwrittenAfterListingIsNotRead() throws Exception {
        put("c/before-open.ndjson", TestPipes.events(0, 100).getBytes(StandardCharsets.UTF_8));
        try (S3ObjectStore store = store()) {
            ObjectInfo o = listed(store, "c/before-open.ndjson");
            put("c/before-open.ndjson", TestPipes.events(500, 100).getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.open(o, 0))
                    .isInstanceOfSatisfying(ObjectChangedException.class, e -> {
                        assertThat(e.key()).isEqualTo("c/before-open.ndjson");
                        assertThat(e.listedVersion()).isEqualTo(o.version());
                        assertThat(e.currentVersion()).isNotNull().isNotEqualTo(o.version());
                    })
                    .hasMessageContaining("s3://" + BUCKET + "/c/before-open.ndjson changed since it was listed")
                    .hasMessageContaining(o.version());
            byte[] buffer = new byte[10];
            assertThatThrownBy(() -> store.read(o, 0, buffer, 0, 10)).isInstanceOf(ObjectChangedException.class);
        }
    }

    @Test
    void anObjectOverwrittenMidReadIsNotResumedIntoTheNewVersion() throws Exception {
        byte[] old = TestPipes.events(0, 10_000).getBytes(StandardCharsets.UTF_8);
        put("c/mid-read.ndjson", old);
        try (S3ObjectStore store = store()) {
            ObjectInfo o = listed(store, "c/mid-read.ndjson");
            // the same size, other bytes: only the version tells them apart
            byte[] next = old.clone();
            Arrays.fill(next, 0, next.length / 2, (byte) ' ');
            proxy.onCut(() -> put("c/mid-read.ndjson", next));
            proxy.cut(1, 100_000, "/" + BUCKET + "/c/mid-read.ndjson");
            byte[] read = new byte[old.length];
            int n = 0;
            try (InputStream in = store.open(o, 0)) {
                assertThatThrownBy(() -> {
                    int[] at = {0};
                    for (int r; (r = in.read(read, at[0], read.length - at[0])) > 0; ) {
                        at[0] += r;
                    }
                }).isInstanceOf(ObjectChangedException.class).hasMessageContaining("c/mid-read.ndjson");
            } finally {
                proxy.onCut(() -> { });
            }
            for (; n < read.length && read[n] != 0; n++) {
                assertThat(read[n]).as("byte " + n).isEqualTo(old[n]);
            }
            assertThat(n).isBetween(1, old.length - 1);
        }
    }

    /**
     * The object is rewritten while the pipe reads it (when its connection is cut): the resumed
     * request finds another ETag, the rows read before stay, and the new version is loaded from its
     * first row, each row once; the pipe does not fail.
     */
    @Test
    void anObjectRewrittenMidReadIsLoadedAgainFromItsFirstRow() throws Exception {
        String key = "m/rewritten.ndjson";
        put(key, TestPipes.events(0, ROWS).getBytes(StandardCharsets.UTF_8));
        byte[] next = TestPipes.events(100_000, ROWS).getBytes(StandardCharsets.UTF_8);
        String t = table("t_mid_rewrite");
        int before = proxy.cutsDone();
        proxy.onCut(() -> put(key, next));
        proxy.cut(1, 600_000, "/" + BUCKET + "/" + key); // past the reader's first chunk (256 KB)
        try {
            ObjectStoreSource source = ObjectStoreSource.builder().url(proxy.endpoint() + "/" + BUCKET + "/" + key)
                    .auth(ObjectAuth.anonymous()).build();
            TestPipes.pipe("mid-rewrite", source, clickhouse, t).build().run();
        } finally {
            proxy.onCut(() -> { });
        }
        assertThat(proxy.cutsDone() - before).as("responses cut").isEqualTo(1);
        assertThat(clickhouse.queryRows("SELECT count(), uniqExact(id), min(id), max(id) FROM " + t + " WHERE id >= 100000"))
                .as("the new version").containsExactly(List.of(String.valueOf(ROWS), String.valueOf(ROWS), "100000",
                        String.valueOf(100_000 + ROWS - 1)));
        long old = clickhouse.queryLong("SELECT count() FROM " + t + " WHERE id < 100000");
        assertThat(old).as("rows of the old version read before the cut").isBetween(1L, ROWS - 1L);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t + " WHERE id < 100000")).isEqualTo(old);
        assertThat(clickhouse.queryLong("SELECT max(id) FROM " + t + " WHERE id < 100000")).isEqualTo(old - 1);
    }

    @Test
    void aConnectionThatKeepsFailingFailsTheReadWithTheCount() throws Exception {
        put("c/always-cut.ndjson", TestPipes.events(0, 1000).getBytes(StandardCharsets.UTF_8));
        try (S3ObjectStore store = store()) {
            ObjectInfo o = listed(store, "c/always-cut.ndjson");
            proxy.cut(1000, 0, "/" + BUCKET + "/c/always-cut.ndjson");
            try (InputStream in = store.open(o, 0)) {
                assertThatThrownBy(in::readAllBytes)
                        .hasMessageContaining("s3://" + BUCKET + "/c/always-cut.ndjson: reading failed at byte 0 of "
                                + o.size() + " after 5 resumes in a row without progress");
            } finally {
                proxy.cut(0, 0, "");
            }
        }
    }
}
