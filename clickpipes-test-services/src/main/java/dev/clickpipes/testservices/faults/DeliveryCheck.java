package dev.clickpipes.testservices.faults;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import java.time.Duration;
import java.util.Objects;

/**
 * The queries a fault test ends with: how many rows and distinct ids the target table holds,
 * which produced ids are missing, and what the error table holds, as a {@link DeliveryCount}.
 * The ids produced are {@code 0 .. produced-1} in a numeric column; bad records are told apart by
 * their raw text (so each must be unique).
 *
 * <pre>{@code
 * DeliveryCount c = DeliveryCheck.of(transport, "db.events").count("file EXACTLY_ONCE", kills, 30_000, 30);
 * System.out.println(c.line());
 * }</pre>
 */
public final class DeliveryCheck {

    private final ClickHouseTransport transport;
    private final String table;
    private final String errorTable;
    private final String idColumn;

    private DeliveryCheck(ClickHouseTransport transport, String table, String errorTable, String idColumn) {
        this.transport = transport;
        this.table = table;
        this.errorTable = errorTable;
        this.idColumn = idColumn;
    }

    /** Checks {@code table} (qualified, as SQL names it) with id column {@code id} and error table {@code <table>_clickpipes_error}. */
    public static DeliveryCheck of(ClickHouseTransport transport, String table) {
        return new DeliveryCheck(Objects.requireNonNull(transport, "transport"), table, table + "_clickpipes_error", "id");
    }

    /** The same check on another id column. */
    public DeliveryCheck idColumn(String column) {
        return new DeliveryCheck(transport, table, errorTable, column);
    }

    /** Distinct produced ids in the table now ({@code < produced}); what a final run waits for. */
    public long distinctIds(long produced) {
        return number("SELECT uniqExact(" + idColumn + ") FROM " + table + " WHERE " + idColumn + " < " + produced);
    }

    /** Distinct raw records in the error table now. */
    public long distinctErrors() {
        return number("SELECT uniqExact(raw) FROM " + errorTable);
    }

    /**
     * Rows in the table and in the error table now (0 for an error table not created yet),
     * duplicates included: grows while a worker delivers.
     */
    public long rowsAndErrorRows() {
        long rows = number("SELECT count() FROM " + table);
        return number("EXISTS TABLE " + errorTable) == 1 ? rows + number("SELECT count() FROM " + errorTable) : rows;
    }

    /**
     * Waits until {@link #rowsAndErrorRows()} grows past {@code before} (the worker started then
     * delivers), checking every 100 ms, and returns the time it took; throws an {@link AssertionError}
     * with the worker's log when it exits or {@code timeout} passes first. For kill loops whose
     * workers take long to start: the random delay before a kill then counts from when the worker
     * delivers, so the kills hit a working pipe.
     */
    public Duration awaitDelivering(ChildJvm worker, long before, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        try {
            while (rowsAndErrorRows() <= before) {
                if (!worker.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError(worker + " delivered nothing in " + timeout.toSeconds() + " s\n"
                            + worker.logTail(60));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + worker, e);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Whether every produced record, good and bad, is in one table or the other (duplicates or not). */
    public boolean allArrived(long produced, long badProduced) {
        return distinctIds(produced) >= produced && distinctErrors() >= badProduced;
    }

    /** Counts everything. */
    public DeliveryCount count(String label, int kills, long produced, long badProduced) {
        long rows = number("SELECT count() FROM " + table);
        long distinct = number("SELECT uniqExact(" + idColumn + ") FROM " + table);
        long present = distinctIds(produced);
        long errorRows = number("SELECT count() FROM " + errorTable);
        long errorDistinct = distinctErrors();
        return new DeliveryCount(label, kills, produced, rows, distinct, produced - present, rows - distinct,
                badProduced, errorRows, errorDistinct);
    }

    private long number(String sql) {
        try {
            return Long.parseLong(transport.query(sql).strip());
        } catch (ClickHouseException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
