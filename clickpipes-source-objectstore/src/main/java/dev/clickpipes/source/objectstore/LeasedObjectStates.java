package dev.clickpipes.source.objectstore;

import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.KeeperMapTable;
import dev.clickpipes.clickhouse.SqlNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects shared by any number of workers under leases, in a KeeperMap table of the destination
 * ({@link KeeperMapTable}: every write a compare-and-set on the row's version, read back by key).
 * One row per pipe and object: {@code (key, pipe, object, version, owner, lease_until, done,
 * last_row, next_offset, object_version)}, and one per pipe for the lexical watermark.
 *
 * <ul>
 *   <li>take: an absent row is created (strict insert), a present one moved to this worker if it is
 *       free, its lease ended (on the server's clock), or its owner is this worker's own id (a
 *       restart); the read-back tells whether this worker won.</li>
 *   <li>save and renew: move the row on from the version this worker last wrote, extending the
 *       lease; a row moved on by another worker (this one stalled past its lease) is refused and
 *       the object is lost.</li>
 *   <li>the watermark: in continuous lexical mode every object up to it is done; rows up to it are
 *       deleted, so the table holds only objects after it and a poll that finds nothing new reads
 *       one row.</li>
 * </ul>
 * Every statement names its keys (no scans); a write costs a Keeper request per row. Thread-safe:
 * {@link LeaseKeeper} renews from the host's scheduler while the pipe's thread reads and commits.
 */
final class LeasedObjectStates implements ObjectStates {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedObjectStates.class);
    private static final String COLUMNS = "key, pipe, object, version, owner, lease_until, done, last_row, next_offset,"
            + " object_version";
    private static final String READ = "object, version, owner, lease_until, done, last_row, next_offset, object_version,"
            + " toUnixTimestamp64Milli(now64(3))";

    /** A row as read, with the server's clock at the read. */
    private record Row(String object, long version, String owner, long leaseUntil, boolean done, long lastRow,
            long nextOffset, String objectVersion, long now) {

        static Row of(List<String> r) {
            return new Row(r.get(0), Long.parseLong(r.get(1)), r.get(2), Long.parseLong(r.get(3)), "1".equals(r.get(4)),
                    Long.parseLong(r.get(5)), Long.parseLong(r.get(6)), r.get(7), Long.parseLong(r.get(8)));
        }

        boolean leaseLive() {
            return !owner.isEmpty() && leaseUntil > now;
        }

        ObjectStates.Progress progress(String me) {
            return new ObjectStates.Progress(done, lastRow, nextOffset, objectVersion,
                    !done && leaseLive() && !owner.equals(me));
        }
    }

    /** An object this worker holds: the row version it last wrote, and the object version it loads. */
    private record Held(long version, String objectVersion) {
    }

    private final ClickHouseTransport transport;
    private final StateTableName tableName;
    private final String pipe;
    private final String worker;
    private final long leaseMillis;
    private KeeperMapTable table;
    private final Map<String, Row> seen = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private long watermarkVersion;

    LeasedObjectStates(ClickHouseTransport transport, String qualifiedName, String pipe, String worker, Duration lease) {
        this.transport = transport;
        this.tableName = StateTableName.parse(qualifiedName);
        this.pipe = pipe;
        this.worker = worker;
        this.leaseMillis = lease.toMillis();
    }

    @Override
    public synchronized void open() throws Exception {
        table = KeeperMapTable.open(transport, tableName.database(), tableName.name(), "/clickpipes_objects/" + tableName,
                "pipe String, object String, version UInt64, owner String, lease_until UInt64, done UInt8,"
                + " last_row Int64, next_offset Int64, object_version String", "object-store coordination (leases)");
    }

    private String key(String object) {
        return KeeperMapTable.rowKey(pipe, object);
    }

    private Map<String, Row> readRows(Collection<String> objects) throws Exception {
        List<String> keys = new ArrayList<>(objects.size());
        for (String o : objects) {
            keys.add(key(o));
        }
        Map<String, Row> out = new HashMap<>();
        for (List<String> r : table.read(READ, keys)) {
            Row row = Row.of(r);
            out.put(row.object(), row);
        }
        return out;
    }

    @Override
    public synchronized Map<String, Progress> read(List<String> objects) throws Exception {
        Map<String, Progress> out = new HashMap<>();
        for (Row row : readRows(objects).values()) {
            seen.put(row.object(), row);
            out.put(row.object(), row.progress(worker));
        }
        return out;
    }

    @Override
    public synchronized Progress take(ObjectInfo object, boolean fresh) throws Exception {
        String k = object.key();
        String objectVersion = object.version() == null ? "" : object.version();
        Row row = seen.remove(k);
        if (row == null) {
            row = readRows(List.of(k)).get(k);
        }
        long now = table.serverMillis();
        long expected;
        if (row == null) {
            expected = 1;
            table.insertNew(COLUMNS, List.of(key(k), pipe, k, "1", worker, Long.toString(now + leaseMillis), "0", "-1", "-1",
                    objectVersion));
        } else {
            if (row.done() && !fresh) {
                return null; // done meanwhile, by whichever worker
            }
            if (!row.done() && !row.owner().isEmpty() && !row.owner().equals(worker) && row.leaseUntil() > now) {
                return null; // another live worker loads it
            }
            expected = row.version() + 1;
            boolean reset = fresh;
            table.update(key(k), row.version(), "version = " + expected + ", owner = " + SqlNames.literal(worker)
                    + ", lease_until = " + (now + leaseMillis)
                    + (reset ? ", done = 0, last_row = -1, next_offset = -1, object_version = " + SqlNames.literal(objectVersion) : ""));
        }
        Row now2 = readRows(List.of(k)).get(k);
        if (now2 == null || now2.version() != expected || !now2.owner().equals(worker)) {
            return null; // another worker was first
        }
        if (row != null && !row.owner().isEmpty() && !row.owner().equals(worker)) {
            LOG.info("pipe {}: took over {} from {} (lease ended), resuming after row {}", pipe, k, row.owner(),
                    now2.lastRow());
        }
        held.put(k, new Held(expected, objectVersion));
        return new Progress(false, now2.lastRow(), now2.nextOffset(), now2.objectVersion(), false);
    }

    @Override
    public synchronized boolean skipLate(ObjectInfo object) throws Exception {
        String k = object.key();
        table.insertNew(COLUMNS, List.of(key(k), pipe, k, "1", "", "0", "1", "-1", "-1",
                object.version() == null ? "" : object.version()));
        Row row = readRows(List.of(k)).get(k);
        return row != null && row.done();
    }

    @Override
    public synchronized Set<String> save(Collection<ObjectPosition> positions) throws Exception {
        Map<String, String> assignments = new HashMap<>();
        for (ObjectPosition p : positions) {
            assignments.put(p.key(), "last_row = " + p.row() + ", next_offset = " + p.nextOffset()
                    + ", done = " + (p.last() ? 1 : 0));
        }
        Set<String> lost = write(assignments);
        for (ObjectPosition p : positions) {
            if (p.last()) {
                held.remove(p.key());
            }
        }
        return lost;
    }

    /** Every held row's lease in one statement (a few hundred keys each), not a statement per row. */
    @Override
    public synchronized Set<String> renewAll() throws Exception {
        if (held.isEmpty()) {
            return Set.of();
        }
        Map<String, Long> expected = new HashMap<>();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            expected.put(key(e.getKey()), e.getValue().version());
        }
        table.updateEach(expected, "version = version + 1, lease_until = " + (table.serverMillis() + leaseMillis));
        return readBack(held.keySet());
    }

    /**
     * Moves each held object's row on by one version with these assignments (null: only the lease)
     * and a new lease; returns the objects whose row another worker had moved on (now lost).
     */
    private Set<String> write(Map<String, String> assignments) throws Exception {
        Set<String> lost = new HashSet<>();
        if (assignments.isEmpty()) {
            return lost;
        }
        long leaseUntil = table.serverMillis() + leaseMillis;
        for (Map.Entry<String, String> e : assignments.entrySet()) {
            Held h = held.get(e.getKey());
            if (h == null) {
                lost.add(e.getKey());
                continue;
            }
            table.update(key(e.getKey()), h.version(), "version = " + (h.version() + 1) + ", lease_until = " + leaseUntil
                    + (e.getValue() == null ? "" : ", " + e.getValue()));
        }
        lost.addAll(readBack(assignments.keySet()));
        return lost;
    }

    /**
     * After a write that moved each of these held objects' rows on by one version if this worker
     * still held it: records the new versions, and returns (and lets go of) the objects another
     * worker had moved on.
     */
    private Set<String> readBack(Collection<String> written) throws Exception {
        List<String> objects = List.copyOf(written); // written may be a view of held, which this changes
        Set<String> lost = new HashSet<>();
        Map<String, Row> rows = readRows(objects);
        for (String o : objects) {
            Held h = held.get(o);
            if (h == null) {
                continue;
            }
            Row row = rows.get(o);
            if (row != null && row.version() == h.version() + 1 && row.owner().equals(worker)) {
                held.put(o, new Held(h.version() + 1, h.objectVersion()));
            } else {
                held.remove(o);
                lost.add(o);
                LOG.warn("pipe {}: worker {} lost {} to {} (its lease ended while this worker was silent); it stops"
                        + " loading it, and its progress is refused", pipe, worker, o, row == null ? "nobody" : row.owner());
            }
        }
        return lost;
    }

    @Override
    public synchronized void release(String object) throws Exception {
        Held h = held.remove(object);
        if (h != null) {
            table.update(key(object), h.version(), "version = " + (h.version() + 1) + ", owner = '', lease_until = 0");
        }
    }

    private String watermarkKey() {
        return pipe + "/watermark";
    }

    @Override
    public synchronized String watermark() throws Exception {
        List<List<String>> rows = table.read("object, version", List.of(watermarkKey()));
        if (rows.isEmpty()) {
            watermarkVersion = 0;
            return null;
        }
        watermarkVersion = Long.parseLong(rows.get(0).get(1));
        return rows.get(0).get(0);
    }

    @Override
    public synchronized void advanceWatermark(String from, String to, List<String> passed) throws Exception {
        String current = watermark();
        if (current == null || current.compareTo(to) < 0) {
            if (watermarkVersion == 0) {
                table.insertNew(COLUMNS, List.of(watermarkKey(), pipe, to, "1", "", "0", "1", "-1", "-1", ""));
            } else {
                table.update(watermarkKey(), watermarkVersion, "version = " + (watermarkVersion + 1) + ", object = "
                        + SqlNames.literal(to));
            }
            current = watermark();
        }
        // Whoever moved it: rows of done objects at or before it are never read again.
        List<String> gone = new ArrayList<>();
        for (String o : passed) {
            if (current != null && o.compareTo(current) <= 0) {
                gone.add(key(o));
            }
        }
        table.delete(gone);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String describe() {
        return "KeeperMap table " + table.name() + " at " + transport.describe() + ", worker " + worker + ", leases of "
                + leaseMillis + " ms";
    }

    @Override
    public void close() {
        // the transport belongs to the caller
    }
}
