package dev.clickpipes.format.parquet;

import dev.clickpipes.core.spi.SourceRecord;

/**
 * A source record that carries one Parquet row already read, as object-storage sources emit them;
 * {@link ParquetDecoder} writes its values instead of parsing bytes.
 */
public interface ParquetRecord extends SourceRecord {

    /** The row this record carries. */
    ParquetRow row();
}
