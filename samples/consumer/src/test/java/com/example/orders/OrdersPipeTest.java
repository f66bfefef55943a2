package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.source.memory.MemorySource;
import dev.clickpipes.testkit.ClickHouseExtension;
import dev.clickpipes.testkit.ErrorRow;
import dev.clickpipes.testkit.PipeRuns;
import dev.clickpipes.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrdersPipeTest {

    @RegisterExtension
    static final ClickHouseExtension clickhouse = new ClickHouseExtension();

    @BeforeEach
    void createTable(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE " + db.table("orders")
                + " (id UInt64, customer String, amount Decimal(10, 2)) ENGINE = MergeTree ORDER BY id");
    }

    @Test
    void ordersLandAndABadOneGoesToTheErrorTable(TestDatabase db) throws Exception {
        MemorySource source = MemorySource.of(List.of(
                "{\"id\": 1, \"customer\": \"ada\", \"amount\": 12.50}",
                "{\"id\": 2, \"customer\": \"bob\", \"amount\": \"a lot\"}",
                "{\"id\": 3, \"customer\": \"cy\", \"amount\": 3}"));

        PipeMetrics metrics = PipeRuns.drain(OrdersPipe.pipe(source, sinkInto(db)));

        assertEquals(List.of(List.of("1", "ada", "12.5"), List.of("3", "cy", "3")), db.rows("orders"));
        List<ErrorRow> errors = db.errorRows("orders");
        assertEquals(1, errors.size());
        assertEquals("{\"id\": 2, \"customer\": \"bob\", \"amount\": \"a lot\"}", errors.get(0).raw());
        assertEquals(1, metrics.errorRows());
    }

    private static ClickHouseSink.Builder sinkInto(TestDatabase db) {
        return ClickHouseSink.builder().transport(clickhouse.engine()).table(db.table("orders"));
    }

    // An open source never finishes by itself (as Kafka's): drain closes the pipe once it is drained.

    @Test
    void anOpenSourceIsClosedWhenQuietAndItsOpenBatchIsInserted(TestDatabase db) throws Exception {
        MemorySource source = MemorySource.open();
        for (int i = 1; i <= 500; i++) {
            source.offer("{\"id\": " + i + ", \"customer\": \"c" + i + "\", \"amount\": 1}");
        }

        PipeRuns.drain(OrdersPipe.pipe(source, sinkInto(db)));

        assertEquals(500, db.count("orders"));
        assertEquals(499, source.committedOffset());
    }

    @Test
    void aRecordCountStopsThePipeOnceThatManyWereRead(TestDatabase db) throws Exception {
        MemorySource source = MemorySource.open().offer("{\"id\": 1, \"customer\": \"a\", \"amount\": 1}");
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(800); // longer than the quiet period: the count, not silence, ends the run
            } catch (InterruptedException e) {
                return;
            }
            source.offer("{\"id\": 2, \"customer\": \"b\", \"amount\": 2}");
        });
        producer.start();

        PipeRuns.drain(OrdersPipe.pipe(source, sinkInto(db)), 2, Duration.ofSeconds(30));
        producer.join();

        assertEquals(2, db.count("orders"));
    }
}
