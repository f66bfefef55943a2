package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Continuous loads in any order fed by S3 event notifications through SQS: S3Proxy on
 * 127.0.0.1:19130 holds the objects, ElasticMQ on :19131 is the queue, and the test sends the
 * messages S3 would send for what it writes ({@link SqsServer}). Asserted in ClickHouse: every
 * announced object's rows once (count, distinct ids, sum), no listing after the one at start, every
 * message deleted except the one that is not an event.
 */
class SqsNotificationsTest {

    private static final String BUCKET = "sqs-bucket";
    private static final int LINES = 100;

    static S3ProxyServer s3Server;
    static S3Client s3;
    static SqsServer sqs;
    static EmbeddedClickHouse clickhouse;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        s3Server = new S3ProxyServer(19130, true);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.createBucket(b -> b.bucket("other-bucket"));
        sqs = new SqsServer(19131);
        clickhouse = EmbeddedClickHouse.shared();
        db = clickhouse.newDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sqs != null) {
            sqs.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    /** Writes {@value #LINES} events with ids from {@code firstId}; returns its quoted ETag. */
    private static String put(String bucket, String key, int firstId) {
        return s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(TestPipes.events(firstId, LINES))).eTag();
    }

    /** Writes the object and sends the S3 event for it; returns its quoted ETag. */
    private static String putAndAnnounce(String queue, String key, int firstId) {
        String etag = put(BUCKET, key, firstId);
        sqs.send(queue, SqsServer.s3Event(BUCKET, key, TestPipes.events(firstId, LINES).length(), etag));
        return etag;
    }

    private static ObjectStoreSource.Builder source(String prefix, String queue, String state) {
        return ObjectStoreSource.builder().url(s3Server.endpoint() + "/" + BUCKET + "/" + prefix + "/*.ndjson")
                .auth(ObjectAuth.accessKey(S3ProxyServer.ACCESS, S3ProxyServer.SECRET))
                .continuous(Duration.ofSeconds(1), ObjectStoreSource.Ordering.ANY)
                .notifications(SqsNotifications.builder().queueUrl(queue).endpoint(sqs.endpoint())
                        .auth(ObjectAuth.accessKey("x", "x")).visibilityTimeout(Duration.ofSeconds(2)).build())
                .stateStore(clickhouse, state);
    }

    /** Counts the listings of a store (the point of notifications: none after the one at start). */
    private static final class ListCounting extends ForwardingObjectStore {
        final AtomicInteger listings = new AtomicInteger();

        ListCounting(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
            listings.incrementAndGet();
            return super.list(prefix, startAfter);
        }
    }

    private static void assertIds(String table, List<Integer> firstIds) throws Exception {
        long sum = 0;
        for (int first : firstIds) {
            sum += (long) LINES * first + (long) LINES * (LINES - 1) / 2;
        }
        long rows = (long) LINES * firstIds.size();
        assertThat(clickhouse.queryRows("SELECT count(), uniqExact(id), sum(id) FROM " + table))
                .as("rows, distinct ids, sum of ids").containsExactly(List.of(Long.toString(rows), Long.toString(rows),
                        Long.toString(sum)));
    }

    private static void awaitMessages(String queue, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sqs.messages(queue) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the queue holds " + sqs.messages(queue) + " messages, expected " + expected);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void announcedObjectsAreLoadedOnceWithoutListingAgainAndTheirMessagesDeleted() throws Exception {
        String queue = sqs.createQueue("events", 30);
        String t = TestPipes.eventsTable(db, "t_sqs");
        put(BUCKET, "in/old-1.ndjson", 0); // written before the pipe: found by the listing at start
        put(BUCKET, "in/old-2.ndjson", 100);
        ObjectStoreSource.Builder b = source("in", queue, db.table("sqs_state"));
        ListCounting store = new ListCounting(ObjectStores.open(ObjectUrl.parse(s3Server.endpoint() + "/" + BUCKET
                + "/in/*.ndjson"), new ObjectStores.Settings(ObjectAuth.accessKey(S3ProxyServer.ACCESS,
                S3ProxyServer.SECRET), java.net.URI.create(s3Server.endpoint()), null, null, null)));
        Pipe pipe = TestPipes.pipe("sqs", b.store(store).build(), clickhouse, t)
                .batching(Batching.builder().maxRows(LINES).maxAge(Duration.ofMillis(100)).build()).build();
        CompletableFuture<Void> running = TestPipes.start(pipe);
        try {
            TestPipes.awaitCount(clickhouse, t, 2L * LINES);
            List<Integer> loaded = new ArrayList<>(List.of(0, 100));
            for (int i = 0; i < 4; i++) {
                putAndAnnounce(queue, "in/new-" + i + ".ndjson", 1000 + 100 * i);
                loaded.add(1000 + 100 * i);
            }
            putAndAnnounce(queue, "in/with space+plus.ndjson", 2000); // S3 URL-encodes keys in events
            loaded.add(2000);
            String sixth = put(BUCKET, "in/through-sns.ndjson", 2100);
            sqs.send(queue, "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":" + jsonString(
                    SqsServer.s3Event(BUCKET, "in/through-sns.ndjson", TestPipes.events(2100, LINES).length(), sixth)) + "}");
            loaded.add(2100);
            String seventh = put(BUCKET, "in/through-eventbridge.ndjson", 2200);
            sqs.send(queue, "{\"version\":\"0\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\","
                    + "\"time\":\"2026-12-02T20:00:00Z\",\"detail\":{\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{"
                    + "\"key\":\"in/through-eventbridge.ndjson\",\"size\":" + TestPipes.events(2200, LINES).length()
                    + ",\"etag\":\"" + seventh.replace("\"", "") + "\"}}}");
            loaded.add(2200);
            // Nothing to load in these: each is deleted once seen.
            sqs.send(queue, "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"" + BUCKET + "\"}");
            String elsewhere = put("other-bucket", "in/x.ndjson", 9000);
            sqs.send(queue, SqsServer.s3Event("other-bucket", "in/x.ndjson", 10, elsewhere));
            String csv = s3.putObject(r -> r.bucket(BUCKET).key("in/skip.csv"), RequestBody.fromString("1,2\n")).eTag();
            sqs.send(queue, SqsServer.s3Event(BUCKET, "in/skip.csv", 4, csv));
            sqs.send(queue, SqsServer.s3Event(BUCKET, "in/old-1.ndjson", TestPipes.events(0, LINES).length(),
                    s3.headObject(r -> r.bucket(BUCKET).key("in/old-1.ndjson")).eTag())); // loaded already
            sqs.send(queue, SqsServer.s3Event(BUCKET, "in/new-0.ndjson", 1, "\"00\"")
                    .replace("ObjectCreated:Put", "ObjectRemoved:Delete"));
            sqs.send(queue, "this is not an event"); // logged and left to the queue's redrive policy

            TestPipes.awaitCount(clickhouse, t, (long) LINES * loaded.size());
            awaitMessages(queue, 1);

            // old-2 written again: its event loads the new version; an event of its first version, coming late, loads nothing.
            String firstVersion = s3.headObject(r -> r.bucket(BUCKET).key("in/old-2.ndjson")).eTag();
            putAndAnnounce(queue, "in/old-2.ndjson", 3000);
            loaded.add(3000);
            TestPipes.awaitCount(clickhouse, t, (long) LINES * loaded.size());
            sqs.send(queue, SqsServer.s3Event(BUCKET, "in/old-2.ndjson", TestPipes.events(100, LINES).length(),
                    firstVersion));
            awaitMessages(queue, 1);
            Thread.sleep(500);
        } finally {
            pipe.close();
            running.get(30, TimeUnit.SECONDS);
        }
        // old-2's first version (ids 100..199) stays, its second is added: every id once.
        List<Integer> expected = new ArrayList<>(List.of(0, 100, 1000, 1100, 1200, 1300, 2000, 2100, 2200, 3000));
        assertIds(t, expected);
        assertThat(store.listings.get()).as("listings: the one at start, then one of the key for each event whose"
                + " version is not the one recorded (old-2's rewrite, and its late first event)").isEqualTo(3);
        assertThat(clickhouse.queryLong("SELECT count() FROM " + t + " WHERE _file = 'with space+plus.ndjson'"))
                .isEqualTo(LINES);
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void twoLeasedWorkersShareOneQueueAndLoadEveryObjectOnce() throws Exception {
        String queue = sqs.createQueue("shared", 30);
        String t = TestPipes.eventsTable(db, "t_sqs_two");
        String state = db.table("sqs_two_state");
        List<Pipe> pipes = new ArrayList<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (String worker : List.of("a", "b")) {
            Pipe p = TestPipes.pipe("sqs-two", source("two", queue, state).coordination(Coordination.leases())
                    .workerId(worker).build(), clickhouse, t)
                    .batching(Batching.builder().maxRows(LINES).maxAge(Duration.ofMillis(100)).build()).build();
            pipes.add(p);
            running.add(TestPipes.start(p));
        }
        List<Integer> loaded = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                String etag = putAndAnnounce(queue, "two/o-" + i + ".ndjson", 100 * i);
                loaded.add(100 * i);
                if (i % 3 == 0) { // an event delivered twice, as SQS may
                    sqs.send(queue, SqsServer.s3Event(BUCKET, "two/o-" + i + ".ndjson",
                            TestPipes.events(100 * i, LINES).length(), etag));
                }
            }
            TestPipes.awaitCount(clickhouse, t, (long) LINES * loaded.size());
            awaitMessages(queue, 0);
            Thread.sleep(500);
        } finally {
            for (Pipe p : pipes) {
                p.close();
            }
            for (CompletableFuture<Void> r : running) {
                r.get(30, TimeUnit.SECONDS);
            }
        }
        assertIds(t, loaded);
    }

    @Test
    void notificationsAreRefusedWhereTheyCannotWork() {
        SqsNotifications queue = SqsNotifications.builder().queueUrl(sqs.endpoint() + "/000000000000/unused")
                .auth(ObjectAuth.anonymous()).build();
        String url = s3Server.endpoint() + "/" + BUCKET + "/in/*.ndjson";
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(url).notifications(queue).build())
                .hasMessageContaining("need continuous(interval, Ordering.ANY)");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(url).notifications(queue)
                .continuous(Duration.ofSeconds(1), ObjectStoreSource.Ordering.LEXICAL).build())
                .hasMessageContaining("lexical order");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(url).notifications(queue)
                .continuous(Duration.ofSeconds(1), ObjectStoreSource.Ordering.ANY)
                .coordination(Coordination.staticShare(0, 2)).build())
                .hasMessageContaining("Coordination.staticShare");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("file:///tmp/x/*.ndjson").notifications(queue)
                .continuous(Duration.ofSeconds(1), ObjectStoreSource.Ordering.ANY).build())
                .hasMessageContaining("use an s3:// or S3-compatible URL, not FILE");
        assertThatThrownBy(() -> SqsNotifications.builder().queueUrl("https://sqs.us-east-1.amazonaws.com/1/q?"
                + "X-Amz-Signature=abc").build()).hasMessageContaining("carries");
        assertThatThrownBy(() -> SqsNotifications.builder().queueUrl("https://sqs.us-east-1.amazonaws.com/").build())
                .hasMessageContaining("names no queue");
        queue.close();
    }
}
