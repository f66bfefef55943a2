package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.format.Decoders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Settings that build() accepted before and that then failed at the first object, were
 * silently ignored, or changed with the builder: each is refused, or kept, when the source is built.
 */
class ObjectStoreSourceBuilderTest {

    private static ObjectStoreSource.Builder builder(String url) {
        return ObjectStoreSource.builder().url(url).auth(ObjectAuth.anonymous());
    }

    @Test
    void aNullCompressionIsRefusedAtBuildNotAtTheFirstObject() {
        assertThatThrownBy(() -> builder("file:///data/*.ndjson").compression(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ObjectStoreSource.compression is null: e.g. Compression.AUTO");
    }

    @Test
    void continuousWithoutAnIntervalIsRefusedRatherThanLoadingOnce() {
        assertThatThrownBy(() -> builder("file:///data/*.ndjson").continuous(null, ObjectStoreSource.Ordering.ANY).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ObjectStoreSource.continuous needs a positive interval and an ordering, was null, ANY");
        assertThatThrownBy(() -> builder("file:///data/*.ndjson").continuous(null, ObjectStoreSource.Ordering.LEXICAL).build())
                .hasMessageContaining("was null, LEXICAL");
        // oneTime() after it undoes it
        assertThat(builder("file:///data/*.ndjson").continuous(null, ObjectStoreSource.Ordering.ANY).oneTime().build())
                .isNotNull();
    }

    @Test
    void aStateTableWithoutATransportIsRefusedRatherThanKeptInMemory() {
        assertThatThrownBy(() -> builder("file:///data/*.ndjson").stateStore(null, "db.pipe_objects").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ObjectStoreSource.stateStore: the transport to the table 'db.pipe_objects' is null")
                .hasMessageContaining("drop .stateStore(...) for progress in memory");
        assertThat(builder("file:///data/*.ndjson").stateStore(null, null).build()).isNotNull();
    }

    @Test
    void textSettingsOnParquetAreRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> builder("file:///data/*.parquet").headerLines(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ObjectStoreSource.headerLines skips the first lines of NDJSON, CSV and TSV objects;"
                        + " PARQUET objects have none, was 1: drop it");
        assertThatThrownBy(() -> builder("file:///data/*.parquet").decoder(Decoders.json()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ObjectStoreSource.decoder is set, and reads the records of text and PROTOBUF_DELIMITED"
                        + " objects; PARQUET rows are read by the Parquet decoder: drop it");
        assertThatThrownBy(() -> builder("file:///data/*.parquet").compression(Compression.GZIP).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ObjectStoreSource.compression GZIP applies to text and PROTOBUF_DELIMITED objects;"
                        + " PARQUET objects are read as stored");
        assertThat(builder("file:///data/*.parquet").compression(Compression.NONE).build().format())
                .isEqualTo(ObjectFormat.PARQUET);
    }

    @Test
    void headerLinesOnLengthDelimitedMessagesAreRefused() {
        assertThatThrownBy(() -> builder("file:///data/*.bin").format(ObjectFormat.PROTOBUF_DELIMITED)
                .decoder(Decoders.json()).headerLines(2).build())
                .hasMessageContaining("PROTOBUF_DELIMITED objects have none, was 2: drop it");
    }

    @Test
    void textSettingsOnTextStillBuild() {
        ObjectStoreSource csv = builder("file:///data/*.csv.gz").headerLines(1).compression(Compression.GZIP)
                .decoder(Decoders.csvWithNames()).continuous(Duration.ofSeconds(5), ObjectStoreSource.Ordering.ANY).build();
        assertThat(csv.format()).isEqualTo(ObjectFormat.CSV);
    }

    @Test
    void aBuilderReusedForAnotherSourceDoesNotChangeTheOneItBuilt() {
        ObjectStoreSource.Builder b = builder("file:///data/a/*.ndjson").coordination(Coordination.staticShare(0, 2));
        ObjectStoreSource first = b.build();
        ObjectStoreSource second = b.url("file:///data/b/*.ndjson").coordination(Coordination.staticShare(1, 2)).build();
        assertThat(first.describe()).isEqualTo("objects file:///data/a/*.ndjson");
        assertThat(second.describe()).isEqualTo("objects file:///data/b/*.ndjson");
    }
}
