package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.PipeException;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 path and GCS's S3-compatible (HMAC) path against S3Proxy 4.1.0 embedded on 127.0.0.1:19120
 * (signed) and :19122 (anonymous), with the SDK's default checksums and with WHEN_REQUIRED.
 */
class S3ObjectStoreTest {

    static final String BUCKET = "cp-bucket";
    static S3ProxyServer signed;
    static S3ProxyServer open;
    static S3Client s3;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        signed = new S3ProxyServer(19120, true);
        open = new S3ProxyServer(19122, false);
        s3 = signed.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        put("data/a.ndjson", TestPipes.events(0, 1000).getBytes(StandardCharsets.UTF_8));
        put("data/b.ndjson.gz", gzip(TestPipes.events(1000, 1000)));
        put("data/sub/c.ndjson", TestPipes.events(2000, 500).getBytes(StandardCharsets.UTF_8));
        put("data/skip.csv", "1,2\n".getBytes(StandardCharsets.UTF_8));
        try (S3Client anon = open.client()) {
            anon.createBucket(b -> b.bucket("public"));
            anon.putObject(r -> r.bucket("public").key("p/x.ndjson"), RequestBody.fromString(TestPipes.events(0, 10)));
        }
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        // Not db.close(): its DROP DATABASE ... SYNC hangs in the embedded engine here; the shared
        // engine's temporary folder is deleted when the JVM exits.
        if (s3 != null) {
            s3.close();
        }
        if (signed != null) {
            signed.close();
        }
        if (open != null) {
            open.close();
        }
    }

    static void put(String key, byte[] body) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String table(String name) throws Exception {
        String t = db.table(name);
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64, _file String, _path String, "
                + "_size UInt64, _row UInt64, _time DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id");
        return t;
    }

    @ParameterizedTest(name = "{0} checksumsWhenRequired={1}")
    @CsvSource({"s3,false", "s3,true", "gcs-hmac,false", "gcs-hmac,true"})
    void loadsTextObjectsThroughBothPaths(String path, boolean whenRequired) throws Exception {
        String t = table("t_" + path.replace('-', '_') + "_" + whenRequired);
        ObjectStoreSource.Builder b = ObjectStoreSource.builder().format(ObjectFormat.NDJSON)
                .checksumsWhenRequired(whenRequired);
        if (path.equals("s3")) {
            b.url(signed.endpoint() + "/" + BUCKET + "/data/**.ndjson*")
                    .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET));
        } else {
            b.url("gs://" + BUCKET + "/data/**.ndjson*").endpoint(signed.endpoint())
                    .auth(ObjectAuth.hmac(S3ProxyServer.ACCESS, S3ProxyServer.SECRET));
        }
        ObjectStoreSource source = b.build();
        TestPipes.pipe("s3-" + path, source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(2500);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + t)).isEqualTo(2500);
        assertThat(clickhouse.queryRows("SELECT _file, _path, _size, _row FROM " + t + " WHERE id = 1001"))
                .containsExactly(List.of("b.ndjson.gz", BUCKET + "/data/b.ndjson.gz",
                        String.valueOf(gzip(TestPipes.events(1000, 1000)).length), "1"));
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t + " WHERE _time < now() - INTERVAL 1 HOUR")).isZero();
        assertThat(source.objectsDone()).isEqualTo(3);
    }

    @Test
    void rewrittenObjectIsLoadedAgainAsANewVersion() throws Exception {
        String state = db.table("rewrite_state");
        TestPipes.rewrittenObjectIsLoadedAgainUnlessIgnored(clickhouse, table("t_rewrite"), Delivery.AT_LEAST_ONCE,
                (name, text) -> put("rewrite/" + name, text.getBytes(StandardCharsets.UTF_8)),
                reload -> ObjectStoreSource.builder().url(signed.endpoint() + "/" + BUCKET + "/rewrite/*.ndjson")
                        .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET))
                        .stateStore(clickhouse, state).workerId("w").reloadRewrittenObjects(reload).build());
    }

    @Test
    void wrongSecretGivesAClearErrorWithoutTheSecret() throws Exception {
        String t = table("t_wrong");
        ObjectStoreSource source = ObjectStoreSource.builder().url(signed.endpoint() + "/" + BUCKET + "/data/*.ndjson")
                .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, "Wr0ngS3cr3tValue")).build();
        assertThatThrownBy(() -> TestPipes.pipe("wrong", source, clickhouse, t).build().run())
                .isInstanceOf(PipeException.class)
                .hasMessageContaining("SignatureDoesNotMatch")
                .hasMessageContaining("check the secret")
                .hasMessageNotContaining("Wr0ngS3cr3tValue");
        ObjectStoreSource unknown = ObjectStoreSource.builder().url(signed.endpoint() + "/" + BUCKET + "/data/*.ndjson")
                .auth(ObjectAuth.accessKey("AKIDNOBODY", "x")).build();
        assertThatThrownBy(() -> TestPipes.pipe("unknown", unknown, clickhouse, t).build().run())
                .hasMessageContaining("InvalidAccessKeyId");
    }

    @Test
    void anonymousReadsAPublicBucket() throws Exception {
        String t = table("t_anon");
        ObjectStoreSource source = ObjectStoreSource.builder().url(open.endpoint() + "/public/p/*.ndjson")
                .auth(ObjectAuth.anonymous()).build();
        TestPipes.pipe("anon", source, clickhouse, t).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t)).isEqualTo(10);
    }

    @Test
    void tenThousandSmallObjectsUnderGlobs() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new java.util.ArrayList<>();
            for (int d = 0; d < 10; d++) {
                int dir = d;
                puts.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        int id = dir * 1000 + i;
                        put(String.format("many/d%d/obj-%05d.ndjson", dir, id), TestPipes.events(id, 1).getBytes(StandardCharsets.UTF_8));
                    }
                    put("many/d" + dir + "/readme.txt", "not a record".getBytes(StandardCharsets.UTF_8));
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        String all = table("t_many");
        ObjectStoreSource source = ObjectStoreSource.builder()
                .url("s3://" + BUCKET + "/many/**.ndjson").endpoint(signed.endpoint()).pathStyle(true)
                .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET))
                .stateStore(clickhouse, db.table("many_state")).claimBatch(1000).build();
        TestPipes.pipe("many", source, clickhouse, all).build().run();
        assertThat(clickhouse.queryLong("SELECT count() FROM " + all)).isEqualTo(10_000);
        assertThat(clickhouse.queryLong("SELECT uniqExact(id) FROM " + all)).isEqualTo(10_000);
        assertThat(clickhouse.queryLong("SELECT countDistinct(object) FROM " + db.table("many_state")
                + " WHERE kind = 'done'")).isEqualTo(10_000);

        String some = table("t_some");
        ObjectStoreSource subset = ObjectStoreSource.builder()
                .url("s3://" + BUCKET + "/many/d{1,3}/obj-0?{0..4}*.ndjson").endpoint(signed.endpoint())
                .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET)).build();
        TestPipes.pipe("some", subset, clickhouse, some).build().run();
        // d1 holds ids 1000-1999: obj-01[0-4]xx; d3: obj-03[0-4]xx: 500 each
        assertThat(clickhouse.queryLong("SELECT count() FROM " + some)).isEqualTo(1000);
    }

    @Test
    void parquetObjectsReadWithRangedRequests() throws Exception {
        Path corpus = Path.of(System.getProperty("clickpipes.corpus", "../../shared/corpus"), "parquet-testing");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(corpus), "no Parquet corpus at " + corpus);
        Path file = corpus.resolve("alltypes_tiny_pages_plain.parquet").toAbsolutePath();
        put("pq/alltypes.parquet", Files.readAllBytes(file));
        String theirs = db.table("pq_engine");
        clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                + file + "', Parquet)");
        String ours = db.table("pq_ours");
        clickhouse.query("CREATE TABLE " + ours + " AS " + theirs);
        ObjectStoreSource source = ObjectStoreSource.builder().url(signed.endpoint() + "/" + BUCKET + "/pq/*.parquet")
                .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET)).build();
        TestPipes.pipe("pq", source, clickhouse, ours).build().run();
        assertThat(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + ours + " ORDER BY s"))
                .isEqualTo(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + theirs + " ORDER BY s"));
    }
}
