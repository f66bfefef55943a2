package dev.clickpipes.source.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.core.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonFileSourceTest {

    @TempDir
    Path dir;

    private static List<String> readAll(NdjsonFileSource source) throws Exception {
        List<String> lines = new ArrayList<>();
        source.open(null);
        while (!source.finished()) {
            for (SourceRecord r : source.poll(Duration.ZERO)) {
                lines.add(new String(r.data(), r.offset(), r.length(), StandardCharsets.UTF_8)
                        + "@" + r.position());
            }
        }
        source.close();
        return lines;
    }

    @Test
    void readsLinesAcrossChunkBoundariesWithCrLfAndNoFinalNewline() throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String line = "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}";
            text.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
            expected.add(line + "@f.ndjson@" + i);
        }
        text.append("\n"); // an empty line is skipped but counted
        text.append("last");
        expected.add("last@f.ndjson@50001");
        Path file = dir.resolve("f.ndjson");
        Files.writeString(file, text);
        assertThat(Files.size(file)).isGreaterThan(3L << 20);
        assertThat(readAll(NdjsonFileSource.of(file))).containsExactlyElementsOf(expected);
    }

    @Test
    void resumesAfterTheCommittedLine() throws Exception {
        Path file = dir.resolve("g.ndjson");
        Files.writeString(file, "a\nb\nc\nd\n");
        assertThat(readAll(NdjsonFileSource.startAfterLine(file, 1))).containsExactly("c@g.ndjson@2", "d@g.ndjson@3");
    }

    @Test
    void aMissingFileFailsAtOpenNamingIt() {
        NdjsonFileSource source = NdjsonFileSource.of(dir.resolve("nope.ndjson"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.open(null))
                .hasMessageContaining("nope.ndjson");
    }

    @Test
    void aCheckpointFileIsWrittenAfterEachCommitAndResumedFromAtOpen() throws Exception {
        Path file = dir.resolve("h.ndjson");
        Path checkpoint = dir.resolve("h.checkpoint");
        Files.writeString(file, "a\nb\n\nc\nd\n");
        NdjsonFileSource first = NdjsonFileSource.of(file).withCheckpoint(checkpoint);
        first.open(null);
        List<? extends SourceRecord> records = first.poll(Duration.ZERO);
        assertThat(records).hasSize(4);
        assertThat(checkpoint).doesNotExist(); // nothing committed yet
        first.commit(List.of(records.get(0).position(), records.get(1).position()));
        assertThat(Files.readString(checkpoint)).isEqualTo("1\n");
        first.commit(List.of(records.get(0).position())); // an older position does not move it back
        assertThat(Files.readString(checkpoint)).isEqualTo("1\n");
        first.commit(List.of(records.get(2).position())); // "c" is line 3: the empty line 2 counts
        assertThat(Files.readString(checkpoint)).isEqualTo("3\n");
        assertThat(dir.resolve("h.checkpoint.tmp")).doesNotExist();
        first.close();

        // A new source (a restarted process) resumes after the checkpoint's line.
        NdjsonFileSource second = NdjsonFileSource.of(file).withCheckpoint(checkpoint);
        assertThat(readAll(second)).containsExactly("d@h.ndjson@4");
        assertThat(second.committedLine()).isEqualTo(3);
        assertThat(NdjsonFileSource.readCheckpoint(checkpoint)).isEqualTo(3);
        assertThat(NdjsonFileSource.readCheckpoint(dir.resolve("none"))).isEqualTo(-1);
    }

    @Test
    void aMalformedCheckpointFailsTheOpenNamingTheFile() throws Exception {
        Path file = dir.resolve("i.ndjson");
        Path checkpoint = dir.resolve("i.checkpoint");
        Files.writeString(file, "a\n");
        Files.writeString(checkpoint, "twelve");
        NdjsonFileSource source = NdjsonFileSource.of(file).withCheckpoint(checkpoint);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.open(null))
                .hasMessageContaining("i.checkpoint").hasMessageContaining("twelve").hasMessageContaining("delete it");
    }
}
