package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.clickpipes.core.Pipe;
import dev.clickpipes.source.objectstore.azure.AzureBlobStore;
import dev.clickpipes.source.objectstore.azure.SharedKey;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.TestSourceContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Azure Blob Storage against Azurite on 127.0.0.1:21401 (downloads cut by {@link CuttingProxy} on
 * :21402): what users check in ClickHouse (rows, distinct ids, a checksum of the ids) against what
 * was uploaded, with each kind of credentials, compressed blobs, Parquet, a resumed download, a rewritten
 * blob, a continuous load, two workers sharing the blobs through leases, and a wrong key that fails at start naming no secret.
 */
class AzureBlobStoreTest {

    /** -Dclickpipes.azurite.port=... moves Azurite, and the proxy to the port after it. */
    static final int AZURITE_PORT = Integer.getInteger("clickpipes.azurite.port", 21401);
    static final int PROXY_PORT = AZURITE_PORT + 1;
    /** How users name the blobs; requests go to Azurite through {@code .endpoint(...)}. */
    static final String AZURE = "https://" + AzuriteServer.ACCOUNT + ".blob.core.windows.net/data/";

    static AzuriteServer azurite;
    static CuttingProxy proxy;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        azurite = new AzuriteServer(AZURITE_PORT);
        azurite.createContainer("data");
        for (int i = 0; i < 30; i++) {
            azurite.put("data", String.format("logs/part-%02d.ndjson", i), TestPipes.events(i * 100, 100));
        }
        azurite.put("data", "logs/other.txt", "x");
        proxy = new CuttingProxy(PROXY_PORT, AZURITE_PORT);
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    private static ObjectAuth sharedKey() {
        return ObjectAuth.azureSharedKey(AzuriteServer.ACCOUNT, AzuriteServer.KEY);
    }

    private static String table(String name) throws Exception {
        String t = db.table(name);
        clickhouse.query("CREATE TABLE " + t + " (id UInt32, name String, v Float64, _path String) ENGINE = MergeTree ORDER BY id");
        return t;
    }

    /** Rows, distinct ids and the sum of the ids, as users check a load. */
    private static List<String> loaded(String t) throws Exception {
        return clickhouse.queryRows("SELECT count(), uniqExact(id), sum(id) FROM " + t).get(0);
    }

    private static List<String> expected(long from, long count) {
        return List.of(Long.toString(count), Long.toString(count), Long.toString((from + from + count - 1) * count / 2));
    }

    @Test
    void aSharedKeyLoadsEveryBlobTheGlobNames() throws Exception {
        String t = table("az_key");
        ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "logs/*.ndjson")
                .endpoint(azurite.endpoint()).auth(sharedKey()).build();
        TestPipes.pipe("azure-key", source, clickhouse, t).build().run();
        assertThat(loaded(t)).isEqualTo(expected(0, 3000));
        assertThat(clickhouse.query("SELECT _path FROM " + t + " WHERE id = 250").strip()).isEqualTo("data/logs/part-02.ndjson");
    }

    @Test
    void listingPagesByMarkerAndStartsAfterAKey() throws Exception {
        try (AzureBlobStore store = new AzureBlobStore(URI.create(azurite.accountEndpoint()), "data",
                new SharedKey(AzuriteServer.ACCOUNT, AzuriteServer.KEY), null, "test key", 7)) {
            List<String> all = new ArrayList<>();
            store.list("logs/", null).forEachRemaining(o -> all.add(o.key()));
            assertThat(all).hasSize(31).first().isEqualTo("logs/other.txt");
            assertThat(all).last().isEqualTo("logs/part-29.ndjson");
            // a name that must be percent-encoded: the signed path is the encoded one
            String odd = "odd/a b+ü=%.ndjson";
            azurite.put("data", odd, TestPipes.events(7, 3));
            ObjectInfo info = store.current(odd);
            assertThat(info).isNotNull();
            assertThat(new String(store.open(info, 0).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TestPipes.events(7, 3));
        }
        // through the proxy, which counts requests: 2 blobs a page from startFrom, not the 25 before it
        try (AzureBlobStore store = new AzureBlobStore(URI.create(proxy.endpoint() + "/" + AzuriteServer.ACCOUNT), "data",
                new SharedKey(AzuriteServer.ACCOUNT, AzuriteServer.KEY), null, "test key", 2)) {
            long before = proxy.requests("comp=list");
            List<String> after = new ArrayList<>();
            store.list("logs/", "logs/part-24.ndjson").forEachRemaining(o -> after.add(o.key()));
            assertThat(after).containsExactly("logs/part-25.ndjson", "logs/part-26.ndjson", "logs/part-27.ndjson",
                    "logs/part-28.ndjson", "logs/part-29.ndjson");
            assertThat(proxy.requests("comp=list") - before).as("List Blobs pages").isEqualTo(3); // 24-25, 26-27, 28-29
            ObjectInfo one = store.current("logs/part-03.ndjson");
            assertThat(one.size()).isEqualTo(TestPipes.events(300, 100).length());
            assertThat(one.version()).isNotEmpty();
            assertThat(store.url("logs/part-03.ndjson")).isEqualTo(proxy.endpoint() + "/devstoreaccount1/data/logs/part-03.ndjson");
        }
    }

    @Test
    void aSasTokenAndAConnectionStringReadAsTheKeyDoes() throws Exception {
        String sasTable = table("az_sas");
        // Azurite's own path-style URL: with Azure credentials, account then container in the path
        ObjectStoreSource sas = ObjectStoreSource.builder().url(azurite.accountEndpoint() + "/data/logs/part-1*.ndjson")
                .auth(ObjectAuth.azureSas("?" + azurite.accountSas("rl"))).build();
        TestPipes.pipe("azure-sas", sas, clickhouse, sasTable).build().run();
        assertThat(loaded(sasTable)).isEqualTo(expected(1000, 1000));

        String csTable = table("az_cs");
        String connectionString = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                + AzuriteServer.KEY + ";BlobEndpoint=" + azurite.accountEndpoint() + ";";
        ObjectStoreSource cs = ObjectStoreSource.builder().url("abfss://data@" + AzuriteServer.ACCOUNT
                + ".dfs.core.windows.net/logs/part-2*.ndjson").auth(ObjectAuth.azureConnectionString(connectionString)).build();
        assertThat(cs.describe()).doesNotContain(AzuriteServer.KEY);
        TestPipes.pipe("azure-cs", cs, clickhouse, csTable).build().run();
        assertThat(loaded(csTable)).isEqualTo(expected(2000, 1000));
    }

    @Test
    void compressedBlobsAreReadWhole() throws Exception {
        azurite.put("data", "z/a.ndjson.gz", S3ObjectStoreTest.gzip(TestPipes.events(0, 5000)));
        azurite.put("data", "z/b.ndjson.zst", com.github.luben.zstd.Zstd.compress(
                TestPipes.events(5000, 5000).getBytes(StandardCharsets.UTF_8)));
        String t = table("az_compressed");
        ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "z/*.ndjson.{gz,zst}")
                .format(ObjectFormat.NDJSON).endpoint(azurite.endpoint()).auth(sharedKey()).build();
        TestPipes.pipe("azure-compressed", source, clickhouse, t).build().run();
        assertThat(loaded(t)).isEqualTo(expected(0, 10_000));
    }

    @Test
    void aDownloadCutMidObjectIsResumedFromWhereItStopped() throws Exception {
        int rows = 40_000;
        azurite.put("data", "flaky/big.ndjson.gz", S3ObjectStoreTest.gzip(TestPipes.events(0, rows)));
        String t = table("az_flaky");
        proxy.cut(3, 40_000, "flaky/big.ndjson.gz");
        ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "flaky/*.ndjson.gz")
                .endpoint(proxy.endpoint()).auth(sharedKey()).build();
        TestPipes.pipe("azure-flaky", source, clickhouse, t).build().run();
        assertThat(proxy.cutsDone()).isEqualTo(3);
        assertThat(proxy.requests("flaky/big.ndjson.gz")).as("the first download and 3 resumed").isEqualTo(4);
        assertThat(loaded(t)).isEqualTo(expected(0, rows));
    }

    @Test
    void parquetThroughRangedReads() throws Exception {
        Path file = Path.of(System.getProperty("clickpipes.corpus", "../../shared/corpus"),
                "parquet-testing", "alltypes_tiny_pages_plain.parquet").toAbsolutePath();
        Assumptions.assumeTrue(Files.exists(file), "no Parquet corpus at " + file);
        azurite.put("data", "pq/n.parquet", Files.readAllBytes(file));
        String theirs = db.table("azpq_engine");
        clickhouse.query("CREATE TABLE " + theirs + " ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file('"
                + file + "', Parquet)");
        String ours = db.table("azpq_ours");
        clickhouse.query("CREATE TABLE " + ours + " AS " + theirs);
        long before = proxy.requests("pq/n.parquet");
        ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "pq/*.parquet")
                .endpoint(proxy.endpoint()).auth(sharedKey()).build();
        TestPipes.pipe("azure-pq", source, clickhouse, ours).build().run();
        assertThat(proxy.requests("pq/n.parquet") - before).as("footer, then column chunks").isGreaterThanOrEqualTo(2);
        assertThat(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + ours + " ORDER BY s"))
                .isEqualTo(clickhouse.query("SELECT toString(tuple(*)) AS s FROM " + theirs + " ORDER BY s"));
    }

    @Test
    void aBlobRewrittenAfterListingIsNotMixedIn() throws Exception {
        azurite.put("data", "gen/a.ndjson", TestPipes.events(0, 10));
        try (AzureBlobStore store = new AzureBlobStore(URI.create(azurite.accountEndpoint()), "data",
                new SharedKey(AzuriteServer.ACCOUNT, AzuriteServer.KEY), null, "test key", 5000)) {
            ObjectInfo listed = store.current("gen/a.ndjson");
            azurite.put("data", "gen/a.ndjson", TestPipes.events(100, 10));
            assertThatThrownBy(() -> store.open(listed, 0).readAllBytes())
                    .isInstanceOfSatisfying(ObjectChangedException.class, e -> {
                        assertThat(e.listedVersion()).isEqualTo(listed.version());
                        assertThat(e.currentVersion()).isNotNull().isNotEqualTo(listed.version());
                    })
                    .hasMessageContaining(azurite.accountEndpoint() + "/data/gen/a.ndjson changed since it was listed");
            assertThatThrownBy(() -> store.read(listed, 2, new byte[5], 0, 5)).isInstanceOf(ObjectChangedException.class);
            ObjectInfo now = store.current("gen/a.ndjson");
            byte[] middle = new byte[10];
            store.read(now, 5, middle, 0, 10);
            assertThat(new String(middle, StandardCharsets.UTF_8)).isEqualTo(TestPipes.events(100, 10).substring(5, 15));
        }
    }

    @Test
    void aContinuousLoadTakesNewBlobsAsTheyArrive() throws Exception {
        String t = table("az_continuous");
        azurite.put("data", "cont/2026-01.ndjson", TestPipes.events(0, 100));
        ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "cont/*.ndjson")
                .endpoint(azurite.endpoint()).auth(sharedKey())
                .continuous(Duration.ofMillis(200), ObjectStoreSource.Ordering.LEXICAL)
                .stateStore(clickhouse, db.table("az_continuous_state")).build();
        Pipe pipe = TestPipes.pipe("azure-continuous", source, clickhouse, t).build();
        CompletableFuture<Void> running = TestPipes.start(pipe);
        try {
            TestPipes.awaitCount(clickhouse, t, 100);
            azurite.put("data", "cont/2026-02.ndjson", TestPipes.events(100, 100));
            azurite.put("data", "cont/2026-03.ndjson", TestPipes.events(200, 100));
            TestPipes.awaitCount(clickhouse, t, 300);
            Thread.sleep(500);
        } finally {
            pipe.close();
            running.get();
        }
        assertThat(loaded(t)).isEqualTo(expected(0, 300));
    }

    @Test
    void twoWorkersWithLeasesLoadEveryBlobOnce() throws Exception {
        String t = table("az_leases");
        String state = db.table("az_leases_state");
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int worker = 0; worker < 2; worker++) {
            ObjectStoreSource source = ObjectStoreSource.builder().url(AZURE + "logs/*.ndjson")
                    .endpoint(azurite.endpoint()).auth(sharedKey()).stateStore(clickhouse, state)
                    .coordination(Coordination.leases()).claimBatch(3).build();
            runs.add(TestPipes.start(TestPipes.pipe("azure-leases", source, clickhouse, t).build()));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(loaded(t)).isEqualTo(expected(0, 3000));
    }

    @Test
    void aWrongKeyOrSasFailsAtStartNamingNoSecret() throws Exception {
        String wrongKey = java.util.Base64.getEncoder().encodeToString("not-the-key-of-this-account-000000".getBytes(StandardCharsets.UTF_8));
        ObjectStoreSource byKey = ObjectStoreSource.builder().url(AZURE + "logs/*.ndjson").endpoint(azurite.endpoint())
                .auth(ObjectAuth.azureSharedKey(AzuriteServer.ACCOUNT, wrongKey)).build();
        String keyFailure = startFailure(byKey);
        assertThat(keyFailure).contains("HTTP 403")
                .contains("the account key was refused: check it is key1 or key2 of account devstoreaccount1")
                .contains("container data").doesNotContain(wrongKey).doesNotContain(AzuriteServer.KEY);

        String sas = azurite.accountSas("rl");
        String forged = sas.replaceFirst("sig=[^&]+", "sig=Zm9yZ2VkLXNpZ25hdHVyZQ%3D%3D");
        ObjectStoreSource bySas = ObjectStoreSource.builder().url(AZURE + "logs/*.ndjson").endpoint(azurite.endpoint())
                .auth(ObjectAuth.azureSas(forged)).build();
        String sasFailure = startFailure(bySas);
        assertThat(sasFailure).contains("HTTP 403").contains("the SAS token was refused")
                .doesNotContain("Zm9yZ2VkLXNpZ25hdHVyZQ").doesNotContain("sig=");

        ObjectStoreSource noRead = ObjectStoreSource.builder().url(AZURE + "logs/*.ndjson").endpoint(azurite.endpoint())
                .auth(ObjectAuth.anonymous()).build();
        assertThat(startFailure(noRead)).contains("the container is not public");
    }

    /** What the source's start throws, the whole cause chain, printed for the log. */
    private static String startFailure(ObjectStoreSource source) throws Exception {
        Throwable failure = catchThrowable(() -> source.open(new TestSourceContext("azure-wrong")));
        source.close();
        assertThat(failure).as("a failure at start").isNotNull();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        System.out.println("failure: " + chain);
        return chain.toString();
    }
}
