package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.source.objectstore.file.LocalObjectStore;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet object's rows read ahead on a lent thread ({@link ParquetRowsAhead}) come out as the
 * reader gives them: every row once, in order, each record's position naming its row, from a
 * resume point inside a row group; whether the lent thread runs at once, never (refused), or only
 * after the pipe's thread has read rows itself; and closing part way stops the lent thread.
 */
class ParquetRowsAheadTest {

    static final int ROWS = 30_000;
    static final int FIRST = 7_777; // inside the second row group of 6 000 rows, inside its first window
    @TempDir
    static Path dir;
    static LocalObjectStore store;
    static ObjectFile file;
    static ExecutorService threads;

    @BeforeAll
    static void write() throws Exception {
        Path path = dir.resolve("rows.parquet");
        EmbeddedClickHouse.shared().query("INSERT INTO FUNCTION file('" + path + "', Parquet, 'id UInt64, s String, "
                + "a Array(UInt32)') SELECT number, toString(number), range(number % 3) FROM numbers(" + ROWS + ") "
                + "SETTINGS output_format_parquet_row_group_size = 6000");
        store = new LocalObjectStore(dir);
        file = new ObjectFile(store.current("rows.parquet"), path.toString(), "rows.parquet");
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    @Test
    void aLentThreadReadsTheRowsAfterAResumePointInOrder() throws Exception {
        assertEveryRowFrom(FIRST, threads);
    }

    @Test
    void aRefusingExecutorLeavesTheRowsToThePipesThread() throws Exception {
        assertEveryRowFrom(FIRST, task -> {
            throw new RejectedExecutionException("busy");
        });
    }

    @Test
    void aLateLentThreadTakesOverAfterTheRowsThePipesThreadRead() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Executor late = task -> threads.execute(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            task.run();
        });
        try (ParquetObjectReader reader = new ParquetObjectReader(store, file, FIRST, null, late)) {
            List<Long> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                rows.add(row(reader.next()));
            }
            go.countDown();
            for (ObjectRecord r; (r = reader.next()) != null; ) {
                rows.add(row(r));
            }
            assertRows(rows, FIRST);
        }
    }

    @Test
    void closingPartWayStopsTheLentThread() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Executor tracked = task -> threads.execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        ParquetObjectReader reader = new ParquetObjectReader(store, file, 0, null, tracked);
        assertThat(row(reader.next())).isZero();
        reader.close();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertEveryRowFrom(long first, Executor executor) throws Exception {
        try (ParquetObjectReader reader = new ParquetObjectReader(store, file, first, null, executor)) {
            List<Long> rows = new ArrayList<>();
            for (ObjectRecord r; (r = reader.next()) != null; ) {
                rows.add(row(r));
            }
            assertRows(rows, first);
        }
    }

    /** The record's row, after checking that its position names it and its values are that row's. */
    private static long row(ObjectRecord r) {
        long row = ((dev.clickpipes.format.parquet.ParquetRecord) r).row().index();
        assertThat(r.position().row()).isEqualTo(row);
        String text = ((dev.clickpipes.format.parquet.ParquetRecord) r).row().toString();
        assertThat(text).startsWith("{\"id\":" + row + ",\"s\":\"" + row + "\",");
        return row;
    }

    private static void assertRows(List<Long> rows, long first) {
        assertThat(rows).hasSize((int) (ROWS - first));
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).as("record %d", i).isEqualTo(first + i);
        }
    }
}
