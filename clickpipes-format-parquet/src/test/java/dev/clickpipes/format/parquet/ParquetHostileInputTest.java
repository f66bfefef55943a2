package dev.clickpipes.format.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.clickhouse.TableColumn;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.ByteSliceRecord;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.SourcePosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/** Page headers that claim huge uncompressed sizes: a bad record, not a 2 GB allocation. */
class ParquetHostileInputTest {

    @Test
    void aHugeUncompressedSizeIsRefusedBeforeItIsAllocated() {
        for (CompressionCodecName codec : new CompressionCodecName[]{CompressionCodecName.ZSTD, CompressionCodecName.GZIP,
                CompressionCodecName.SNAPPY, CompressionCodecName.LZ4_RAW, CompressionCodecName.LZ4,
                CompressionCodecName.BROTLI}) {
            var d = ParquetCodecs.INSTANCE.getDecompressor(codec);
            assertThatThrownBy(() -> d.decompress(BytesInput.from(new byte[16]), Integer.MAX_VALUE - 8))
                    .as(codec.name()).isInstanceOf(IOException.class);
            // under the cap, but more than 16 bytes can expand to (brotli: more than the stream holds)
            assertThatThrownBy(() -> d.decompress(BytesInput.from(new byte[16]), 100 << 20))
                    .as(codec.name()).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> d.decompress(ByteBuffer.wrap(new byte[16]), 16, ByteBuffer.allocate(1),
                    Integer.MAX_VALUE - 8)).as(codec.name()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aFileWhosePageHeaderClaimsTwoGigabytesIsABadRecord() throws Exception {
        Path file = ParquetConformanceTest.corpus().resolve("alltypes_plain.snappy.parquet");
        byte[] bytes = Files.readAllBytes(file);
        long start;
        try (ParquetFileReader r = new ParquetFileReader(new RangedInputFile(RandomAccessInput.of(file)),
                org.apache.parquet.ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration())
                        .withCodecFactory(ParquetCodecs.INSTANCE).build())) {
            start = r.getFooter().getBlocks().get(0).getColumns().get(0).getStartingPos();
        }
        byte[] patched = withUncompressedSize(bytes, (int) start, Integer.MAX_VALUE - 8);
        RowBuffer rows = new RowBuffer(new TableSchema("db", "t", List.of(TableColumn.of("id", "Int32")), ZoneOffset.UTC),
                FieldMapping.byName(), Set.of());
        ByteSliceRecord record = new ByteSliceRecord(patched, 0, patched.length) {
            @Override
            public SourcePosition position() {
                return null;
            }
        };
        rows.beginRecord(record);
        assertThatThrownBy(() -> ParquetDecoder.create().decode(record, rows))
                .isInstanceOf(DecodeException.class).hasMessageContaining("uncompressed bytes");
        // the file as it is reads
        rows.rollbackRecord();
        ByteSliceRecord good = new ByteSliceRecord(bytes, 0, bytes.length) {
            @Override
            public SourcePosition position() {
                return null;
            }
        };
        rows.beginRecord(good);
        ParquetDecoder.create().decode(good, rows);
        assertThat(rows.rows()).isEqualTo(2);
    }

    /**
     * The file with the page header at {@code at} rewritten to claim {@code size} uncompressed
     * bytes; the page's body is cut by as many bytes as the header grew, so every later offset holds.
     */
    static byte[] withUncompressedSize(byte[] file, int at, int size) throws IOException {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(file, at, file.length - at);
        org.apache.parquet.format.PageHeader header = org.apache.parquet.format.Util.readPageHeader(in);
        int bodyStart = file.length - in.available();
        int body = header.getCompressed_page_size();
        ByteArrayOutputStream newHeader = new ByteArrayOutputStream();
        for (int cut = 0; ; cut++) {
            header.setUncompressed_page_size(size);
            header.setCompressed_page_size(body - cut);
            header.unsetCrc();
            newHeader.reset();
            org.apache.parquet.format.Util.writePageHeader(header, newHeader);
            if (newHeader.size() - (bodyStart - at) == cut) {
                break;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, at);
        newHeader.writeTo(out);
        int cut = newHeader.size() - (bodyStart - at);
        out.write(file, bodyStart, body - cut);
        out.write(file, bodyStart + body, file.length - bodyStart - body);
        if (out.size() != file.length) {
            throw new IllegalStateException("the patched file is " + out.size() + " bytes, not " + file.length);
        }
        return out.toByteArray();
    }
}
