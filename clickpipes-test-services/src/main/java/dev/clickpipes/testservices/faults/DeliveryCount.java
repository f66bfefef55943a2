package dev.clickpipes.testservices.faults;

/**
 * What a fault test found in ClickHouse against what it produced: the rows of the target table
 * and of its error table. {@link #line()} is the one line the tests print (and the README quotes).
 *
 * @param label the source and mode, such as {@code file EXACTLY_ONCE}
 * @param kills how many times a worker was SIGKILLed
 * @param produced good records produced (ids {@code 0 .. produced-1})
 * @param rows rows in the target table
 * @param distinct distinct ids among them
 * @param lost produced ids not in the table
 * @param duplicated rows beyond one per id
 * @param badProduced records produced that cannot become rows (each must reach the error table)
 * @param errorRows rows in the error table
 * @param errorDistinct distinct raw records among them
 */
public record DeliveryCount(String label, int kills, long produced, long rows, long distinct, long lost,
        long duplicated, long badProduced, long errorRows, long errorDistinct) {

    /** Every good record exactly once in the table, every bad one exactly once in the error table. */
    public boolean exactlyOnce() {
        return rows == produced && distinct == produced && lost == 0 && errorRows == badProduced
                && errorDistinct == badProduced;
    }

    /** Every record at least once (duplicates allowed), in the table or the error table. */
    public boolean atLeastOnce() {
        return rows >= produced && distinct == produced && lost == 0 && errorRows >= badProduced
                && errorDistinct == badProduced;
    }

    /** A copy with the number of kills set. */
    public DeliveryCount withKills(int value) {
        return new DeliveryCount(label, value, produced, rows, distinct, lost, duplicated, badProduced, errorRows,
                errorDistinct);
    }

    /** {@code file EXACTLY_ONCE: 20 kills, 30000 records, 0 lost, 0 duplicated; 30 bad records, 30 error rows (30 distinct)}. */
    public String line() {
        return String.format("%s: %d kills, %d records, %d lost, %d duplicated; %d bad records, %d error rows (%d distinct)",
                label, kills, produced, lost, duplicated, badProduced, errorRows, errorDistinct);
    }

    @Override
    public String toString() {
        return line() + " [rows " + rows + ", distinct ids " + distinct + "]";
    }
}
