package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.clickhouse.types.Columns;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.testkit.ClickHouseExtension;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testkit.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WARN fallback of {@code sortByTableKey(true)}: when {@link BlockSorter} fails part-way through reading an
 * insert's body (a RuntimeException from {@code sorted}), the body must go to the engine as it was, whole,
 * rather than fail the insert or send a half-rewritten body. The sink never builds a body its sorter cannot read,
 * so the failure is provoked here at the sorter itself: it is handed the body's columns in another order than the
 * body holds them, which it only finds out while reading the first block. The body it returns then goes through
 * the engine's real {@code INSERT ... FORMAT Native}, and the table is checked as a user would: every id once,
 * their count and sum. That the fallback was taken is seen twice: the sorter returns the very buffer it was
 * given, and the engine's {@code MergeTreeDataWriterBlocksAlreadySorted} does not count the part (it had to sort
 * it), whereas the same body with its right columns is counted.
 */
class SortFallbackTest {

    private static final int BLOCK_ROWS = 2000;
    private static final int BLOCKS = 2;

    @RegisterExtension
    static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

    private final EmbeddedClickHouse ch = CLICKHOUSE.engine();

    @Test
    void aBodyTheSorterFailsToReadGoesUnsortedAndEveryRowArrives() throws Exception {
        TestDatabase db = CLICKHOUSE.database();
        String table = create(db, "fallback");
        TableSchema schema = SchemaReader.read(ch, db.name(), "fallback");
        BlockSorter sorter = new BlockSorter(table, SortingKey.read(ch, db.name(), "fallback"));
        List<Column> columns = columns(schema);
        NativeBuffer body = body(schema);

        long before = SortByTableKeyTest.alreadySorted(ch);
        List<Column> misordered = List.of(columns.get(1), columns.get(2), columns.get(0));
        NativeBuffer sent = sorter.sort(body, misordered, schema);
        assertThat(sent).as("the fallback hands back the body it was given").isSameAs(body);
        ch.insert(NativeBlock.insertSql(table, columns), sent.array(), sent.size());

        assertThat(SortByTableKeyTest.alreadySorted(ch) - before).as("parts the engine found already sorted").isZero();
        assertEveryRowArrived(table);

        // The failure is not sticky: the next body, with its right columns, is sorted again.
        String next = create(db, "after_fallback");
        before = SortByTableKeyTest.alreadySorted(ch);
        NativeBuffer sorted = sorter.sort(body, columns, schema);
        assertThat(sorted).as("a sorted copy").isNotSameAs(body);
        ch.insert(NativeBlock.insertSql(next, columns), sorted.array(), sorted.size());
        assertThat(SortByTableKeyTest.alreadySorted(ch) - before).as("parts the engine found already sorted").isEqualTo(1);
        assertEveryRowArrived(next);
    }

    private String create(TestDatabase db, String name) throws Exception {
        String table = db.table(name);
        ch.query("CREATE TABLE " + table + " (id UInt64, s String, lc LowCardinality(String))"
                + " ENGINE = MergeTree ORDER BY (s, id)");
        return table;
    }

    private static List<Column> columns(TableSchema schema) {
        return schema.insertableColumns().stream()
                .map(c -> Columns.create(c.name(), c.type(), schema.serverZone())).toList();
    }

    /** {@value #BLOCKS} Native blocks of {@value #BLOCK_ROWS} rows, in descending key order: sorting has work to do. */
    private static NativeBuffer body(TableSchema schema) throws Exception {
        NativeBuffer body = new NativeBuffer();
        for (int b = 0; b < BLOCKS; b++) {
            List<Column> block = columns(schema);
            for (int r = 0; r < BLOCK_ROWS; r++) {
                long id = (long) b * BLOCK_ROWS + r + 1;
                block.get(0).appendLong(id);
                block.get(1).appendString(String.format("%06d", 10 * BLOCKS * BLOCK_ROWS - id));
                block.get(2).appendString("lc" + id % 7);
            }
            NativeBlock.append(block, BLOCK_ROWS, body);
        }
        return body;
    }

    private void assertEveryRowArrived(String table) throws Exception {
        long n = (long) BLOCKS * BLOCK_ROWS;
        assertThat(ch.queryRows("SELECT count(), sum(id), uniqExact(id), min(id), max(id),"
                + " countIf(s = leftPad(toString(" + 10 * n + " - id), 6, '0')), countIf(lc = concat('lc', toString(id % 7)))"
                + " FROM " + table))
                .as("count, sum of ids, distinct ids, their range, and each row's s and lc beside its id")
                .containsExactly(List.of(Long.toString(n), Long.toString(n * (n + 1) / 2), Long.toString(n), "1",
                        Long.toString(n), Long.toString(n), Long.toString(n)));
    }
}
