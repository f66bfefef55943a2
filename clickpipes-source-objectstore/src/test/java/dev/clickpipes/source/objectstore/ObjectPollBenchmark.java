package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.ForwardingTransport;
import dev.clickpipes.clickhouse.KeeperMapTable;
import dev.clickpipes.source.objectstore.file.LocalObjectStore;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import dev.clickpipes.testservices.ZooKeeperService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a continuous poll costs once many objects are loaded (issue: "a poll costs what is new").
 * For 1 000, 10 000 and 100 000 done objects it prints, per coordination, the state bytes read
 * and the time of the first poll after a start (which learns what is done) and of a poll that
 * finds nothing new (warm-up, then 5 rounds: median, min and max).
 *
 * <p>The objects are empty files in a local folder; their progress is written straight into the
 * state tables, as finished loads leave it (loading 100 000 objects through a pipe would measure
 * the loads, not a poll). Bytes read are the state queries' answers, as the transport receives
 * them; the listing of the folder is in the time, not in the bytes. Run with
 * {@code scripts/poll-benchmark.sh}.
 */
public final class ObjectPollBenchmark {

    private static final int ROUNDS = 5;
    private static final String PIPE = "poll";

    /** Counts the characters of every answer and every inserted body (all ASCII here: bytes). */
    private static final class CountingTransport extends ForwardingTransport {
        long read;

        CountingTransport(ClickHouseTransport delegate) {
            super(delegate);
        }

        @Override
        public String query(String sql) throws ClickHouseException {
            String answer = super.query(sql);
            read += answer.length();
            return answer;
        }

        @Override
        public void close() {
            // the engine is shared
        }
    }

    /** The coordinations measured; LEASES_ANY_SQS takes new objects from an SQS queue instead of listing. */
    private enum Mode { SINGLE_WORKER_LOG, LEASES_ANY, LEASES_LEXICAL, LEASES_ANY_SQS }

    /** ElasticMQ (a real SQS-compatible server) for the notifications mode, on a port of this benchmark's own. */
    private static final int SQS_PORT = 20921;
    private static SqsServer sqs;

    private ObjectPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ZooKeeperService.shared();
        sqs = new SqsServer(SQS_PORT);
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        TestDatabase db = clickhouse.newDatabase();
        Path root = Files.createTempDirectory("poll-benchmark");
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[]{1_000, 10_000, 100_000};
        System.out.printf("%-18s %8s | %14s %10s | %14s %26s%n", "coordination", "objects", "start: bytes",
                "ms", "poll: bytes", "ms median (min..max)");
        for (int n : sizes) {
            Path folder = root.resolve("n" + n);
            Files.createDirectories(folder);
            for (int i = 0; i < n; i++) {
                Files.createFile(folder.resolve(name(i)));
            }
            for (Mode mode : Mode.values()) {
                String state = db.table("s_" + mode.name().toLowerCase() + "_" + n);
                measure(clickhouse, folder, state, mode, n);
            }
        }
        sqs.close();
        clickhouse.close();
    }

    private static String name(int i) {
        return String.format("o-%07d.ndjson", i);
    }

    private static void measure(EmbeddedClickHouse clickhouse, Path folder, String state, Mode mode, int n)
            throws Exception {
        CountingTransport counting = new CountingTransport(clickhouse);
        boolean leases = mode != Mode.SINGLE_WORKER_LOG;
        Coordination coordination = leases ? Coordination.leases() : Coordination.singleWorker();
        ObjectStates states = leases ? new LeasedObjectStates(counting, state, PIPE, "w", coordination.lease())
                : new SingleWorkerStates(new ProgressLog(counting, state, PIPE, "w"), coordination);
        // The tables are made by the states themselves; their rows written here in one insert.
        ObjectStates maker = leases ? new LeasedObjectStates(clickhouse, state, PIPE, "w", coordination.lease())
                : new SingleWorkerStates(new ProgressLog(clickhouse, state, PIPE, "w"), coordination);
        maker.open();
        writeDone(clickhouse, state, leases, n);

        LocalObjectStore store = new LocalObjectStore(folder);
        Glob glob = Glob.of("*.ndjson");
        ObjectNoticeBook notices = mode != Mode.LEASES_ANY_SQS ? null : new ObjectNoticeBook(SqsNotifications.builder()
                .queueUrl(sqs.createQueue("poll-" + n, 30)).auth(ObjectAuth.accessKey("x", "x")).build(), "bench", glob);
        ObjectScheduler scheduler = new ObjectScheduler(store, glob, states, coordination,
                Duration.ofDays(1), mode == Mode.LEASES_LEXICAL, true, 500, key -> false, notices);
        long t0 = System.nanoTime();
        long before = counting.read;
        states.open();
        scheduler.start();
        ObjectScheduler.Assignment first = scheduler.next();
        if (first != null) {
            throw new IllegalStateException("every object is done, yet " + first.object().key() + " was taken");
        }
        double startMillis = (System.nanoTime() - t0) / 1e6;
        long startBytes = counting.read - before;

        poll(scheduler); // warm-up
        double[] millis = new double[ROUNDS];
        long pollBytes = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long b = counting.read;
            long t = System.nanoTime();
            poll(scheduler);
            millis[r] = (System.nanoTime() - t) / 1e6;
            pollBytes = Math.max(pollBytes, counting.read - b);
        }
        Arrays.sort(millis);
        System.out.printf("%-18s %8d | %14d %10.1f | %14d %10.1f (%.1f..%.1f)%n", mode, n, startBytes, startMillis,
                pollBytes, millis[ROUNDS / 2], millis[0], millis[ROUNDS - 1]);
        states.close();
        if (notices != null) {
            notices.close();
        }
    }

    /** One poll: lists (or receives from the queue, without waiting) and looks up until nothing is left to take. */
    private static void poll(ObjectScheduler scheduler) throws Exception {
        scheduler.listNow();
        scheduler.idle(Duration.ZERO); // notifications: one receive; listing: due now, no sleep
        ObjectScheduler.Assignment a = scheduler.next();
        if (a != null) {
            throw new IllegalStateException("every object is done, yet " + a.object().key() + " was taken");
        }
    }

    /**
     * The rows finished loads leave: a done row per object (leases: keyed as LeasedObjectStates keys
     * them), in inserts of 1 000 rows (one KeeperMap insert is one ZooKeeper request, at most 1 MB).
     */
    private static void writeDone(ClickHouseTransport ch, String state, boolean leases, int n) throws Exception {
        for (int from = 0; from < n; from += 1000) {
            writeDone(ch, state, leases, from, Math.min(n, from + 1000));
        }
    }

    private static void writeDone(ClickHouseTransport ch, String state, boolean leases, int from, int to)
            throws Exception {
        StringBuilder rows = new StringBuilder();
        List<String> line = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String object = name(i);
            line.clear();
            if (leases) {
                line.addAll(List.of(KeeperMapTable.rowKey(PIPE, object), PIPE, object, "3", "", "0", "1", "99", "-1", ""));
            } else {
                line.addAll(List.of(PIPE, object, "done", "w", "99", "-1", ""));
            }
            rows.append(String.join("\t", line)).append('\n');
        }
        byte[] body = rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String columns = leases ? "key, pipe, object, version, owner, lease_until, done, last_row, next_offset, object_version"
                : "pipe, object, kind, worker, row, offset, version";
        ch.insert("INSERT INTO " + state + " (" + columns + ") FORMAT TabSeparated", Map.of("async_insert", "0"), body,
                body.length);
    }
}
