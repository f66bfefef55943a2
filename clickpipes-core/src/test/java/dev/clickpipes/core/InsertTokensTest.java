package dev.clickpipes.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.SourcePosition;
import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InsertTokensTest {

    @Test
    void namesThePartitionsTheirOffsetsAndTheContent() {
        List<SourceRecord> records = List.of(record("orders-0", "100", "a"), record("orders-0", "101", "b"),
                record("orders-1", "7", "c"));
        String token = InsertTokens.of("events", records, "");
        assertThat(token).matches("events/orders-0@100\\.\\.orders-0@101/orders-1@7\\.\\.orders-1@7#[0-9a-f]{16}");
        assertThat(InsertTokens.of("events", records, "/errors")).isEqualTo(token + "/errors");
    }

    @Test
    void sameRecordsSameTokenOtherBytesOtherToken() {
        List<SourceRecord> batch = List.of(record("p", "1", "{\"id\":1}"), record("p", "2", "{\"id\":2}"));
        List<SourceRecord> again = List.of(record("p", "1", "{\"id\":1}"), record("p", "2", "{\"id\":2}"));
        List<SourceRecord> rewritten = List.of(record("p", "1", "{\"id\":1}"), record("p", "2", "{\"id\":3}"));
        // the length prefix keeps a byte moved from one record to the next from giving the same digest
        List<SourceRecord> shifted = List.of(record("p", "1", "{\"id\":1}{"), record("p", "2", "\"id\":2}"));
        assertThat(InsertTokens.of("e", again, "")).isEqualTo(InsertTokens.of("e", batch, ""));
        assertThat(InsertTokens.of("e", rewritten, "")).isNotEqualTo(InsertTokens.of("e", batch, ""));
        assertThat(InsertTokens.of("e", shifted, "")).isNotEqualTo(InsertTokens.of("e", batch, ""));
    }

    @Test
    void twoVersionsOfAnObjectHaveOtherRangesThoughTheirRowsAndToStringAgree() {
        // an object position's toString() is key@row without the version; its partition has the version
        SourceRecord v1 = record("data/a.json#v1", "0", "x", "data/a.json@0");
        SourceRecord v2 = record("data/a.json#v2", "0", "x", "data/a.json@0");
        assertThat(InsertTokens.of("e", List.of(v1), "")).startsWith("e/data/a.json#v1@0..data/a.json#v1@0#");
        assertThat(InsertTokens.of("e", List.of(v1), "")).isNotEqualTo(InsertTokens.of("e", List.of(v2), ""));
    }

    @Test
    void theSameRecordsKeepTheirTokenAcrossVersions() {
        // pinned: a token that changes for the same records lets a deduplicating table keep a replayed batch twice;
        // records of every length from 0 (a Parquet row has no bytes) put the length prefixes at every stripe offset
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            records.add(record("data/a.parquet", Integer.toString(i), "x".repeat(i % 37 == 5 ? 40 : i % 3 == 0 ? 0 : i % 11)));
        }
        List<SourceRecord> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(record("data/b.parquet", Integer.toString(i), ""));
        }
        assertThat(InsertTokens.of("e", records, "")).isEqualTo("e/data/a.parquet@0..data/a.parquet@69#4f7759a939f010f1");
        assertThat(InsertTokens.of("e", rows, "")).isEqualTo("e/data/b.parquet@0..data/b.parquet@9#f628aee62df1d172");
    }

    @Test
    void manyPartitionsGiveAShortHashedToken() {
        List<SourceRecord> records = new ArrayList<>();
        for (int p = 0; p < 50; p++) {
            records.add(record("topic-" + p, "1", "r"));
        }
        String token = InsertTokens.of("events", records, "/errors");
        assertThat(token).matches("events/sha256:[0-9a-f]{64}/errors");
    }

    private static SourceRecord record(String partition, String offset, String body) {
        return record(partition, offset, body, partition + "@" + offset);
    }

    private static SourceRecord record(String partition, String offset, String body, String shown) {
        byte[] bytes = ("--" + body).getBytes(StandardCharsets.UTF_8); // a slice, not the whole array
        SourcePosition position = new SourcePosition() {
            @Override
            public String partition() {
                return partition;
            }

            @Override
            public String offsetText() {
                return offset;
            }

            @Override
            public String toString() {
                return shown;
            }
        };
        return new SourceRecord() {
            @Override
            public byte[] data() {
                return bytes;
            }

            @Override
            public int offset() {
                return 2;
            }

            @Override
            public int length() {
                return bytes.length - 2;
            }

            @Override
            public SourcePosition position() {
                return position;
            }
        };
    }
}
