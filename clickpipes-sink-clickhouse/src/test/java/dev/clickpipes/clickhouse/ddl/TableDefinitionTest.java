package dev.clickpipes.clickhouse.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a created table is given so that it deduplicates re-sent inserts, and where nothing is added (pure: no engine). */
class TableDefinitionTest {

    private static TableDefinition.Builder events(String engine) {
        return TableDefinition.builder().column("id", "UInt64").orderBy("id").engine(engine);
    }

    @Test
    void aPlainMergeTreeFamilyTableGetsTheDeduplicationWindowUnlessItSetsOne() {
        assertThat(events("MergeTree").build().deduplicatingOn(24008).createSql("db", "t"))
                .endsWith("ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 1000");
        assertThat(events("ReplacingMergeTree(version)").column("version", "UInt64").build().deduplicatingOn(22002)
                .createSql("db", "t")).endsWith("SETTINGS non_replicated_deduplication_window = 1000");
        assertThat(events("MergeTree").setting("non_replicated_deduplication_window", "10").setting("index_granularity", "512")
                .build().deduplicatingOn(24008).createSql("db", "t"))
                .endsWith("SETTINGS non_replicated_deduplication_window = 10, index_granularity = 512");
    }

    @Test
    void replicatedAndSharedEnginesAndOldServersGetNothing() {
        for (String engine : new String[] {"ReplicatedMergeTree('/t/{shard}', '{replica}')", "SharedMergeTree",
                "ReplicatedReplacingMergeTree"}) {
            TableDefinition t = events(engine).build();
            assertThat(t.deduplicatingOn(24008).createSql("db", "t")).as(engine).doesNotContain("SETTINGS");
        }
        assertThat(events("MergeTree").build().deduplicatingOn(21008).createSql("db", "t")).doesNotContain("SETTINGS");
    }
}
