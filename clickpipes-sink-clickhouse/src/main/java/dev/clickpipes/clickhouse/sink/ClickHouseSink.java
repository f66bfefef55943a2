package dev.clickpipes.clickhouse.sink;

import dev.clickpipes.clickhouse.ClickHouseException;
import dev.clickpipes.clickhouse.ClickHouseTransport;
import dev.clickpipes.clickhouse.TableSchema;
import dev.clickpipes.clickhouse.ddl.TableDefinition;
import dev.clickpipes.clickhouse.ddl.Tables;
import dev.clickpipes.clickhouse.delivery.DeduplicationCheck;
import dev.clickpipes.clickhouse.delivery.KeeperMapDeliveryState;
import dev.clickpipes.clickhouse.http.HttpTransport;
import dev.clickpipes.clickhouse.http.InsertCompression;
import dev.clickpipes.clickhouse.types.NativeBuffer;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DeliveryState;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.SinkException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a pipe's rows into an existing ClickHouse table, in the Native format, and its rejected
 * records into the error table {@code <table>_clickpipes_error} next to it.
 *
 * <p>Talks to ClickHouse over HTTP(S) ({@link Builder#endpoint}) or through any
 * {@link ClickHouseTransport}, such as the testkit's {@code EmbeddedClickHouse}: the same sink code
 * runs against both. One sink serves one pipe.
 *
 * <pre>{@code
 * ClickHouseSink.builder()
 *     .endpoint("https://host:8443").credentials("user", secret)
 *     .table("analytics.events")
 *     .build();
 * }</pre>
 */
public final class ClickHouseSink implements Sink {

    private final ClickHouseTransport transport;
    private final boolean ownsTransport;
    private final String database;
    private final String table;
    private final boolean errorTableEnabled;
    private final String errorTableName;
    private final Duration errorTableTtl;
    private final Consumer<List<ErrorRecord>> errorHandler;
    private final TableDefinition createTable;
    private final Map<String, String> userInsertSettings;
    private final NativeBuffer block = new NativeBuffer(1 << 20);
    private final boolean sortByTableKey;
    private BlockSorter sorter;
    private ErrorTable errorTable;
    private InsertSettings insertSettings;
    private String pipeName;

    private ClickHouseSink(Builder b, ClickHouseTransport transport, boolean ownsTransport, String database,
                           String table) {
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        this.database = database;
        this.table = table;
        this.errorTableEnabled = b.errorTable;
        this.errorTableName = b.errorTableName != null ? b.errorTableName : table + "_clickpipes_error";
        this.errorTableTtl = b.errorTableTtl;
        this.errorHandler = b.errorHandler;
        this.createTable = b.createTable;
        this.userInsertSettings = Map.copyOf(b.insertSettings);
        this.sortByTableKey = b.sortByTableKey;
    }

    /** A builder; {@code table} and either {@code endpoint} or {@code transport} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TableSchema open(String pipeName) throws SinkException {
        this.pipeName = pipeName;
        // DDL only for what is missing: a pipe whose tables exist needs no CREATE right (see README, grants).
        if (createTable != null && !Tables.exists(transport, database, table)) {
            // IF NOT EXISTS: another worker may win
            transport.query(createTable.deduplicatingOn(SchemaReader.version(transport)).createSql(database, table));
        }
        TableSchema schema = readSchema();
        insertSettings = InsertSettings.probe(transport, userInsertSettings);
        if (errorTableEnabled) {
            errorTable = new ErrorTable(transport, database, errorTableName);
            if (!Tables.exists(transport, database, errorTableName)) {
                errorTable.create(errorTableTtl, SchemaReader.version(transport));
            }
        }
        return schema;
    }

    @Override
    public TableSchema refreshSchema() throws SinkException {
        return readSchema();
    }

    /** The table's columns, and its sorting key when inserts are sorted by it (an ALTER may have changed both). */
    private TableSchema readSchema() throws SinkException {
        TableSchema schema = SchemaReader.read(transport, database, table);
        if (sortByTableKey) {
            sorter = new BlockSorter(table(), SortingKey.read(transport, database, table));
        }
        return schema;
    }

    @Override
    public void insert(RowBuffer rows, String deduplicationToken) throws SinkException {
        insert(rows.blocks(), deduplicationToken); // one block, or one per chunk decoded side by side
    }

    /**
     * Inserts buffers of this table's schema as consecutive Native blocks of one insert, as
     * {@link #insert(RowBuffer, String)} does with a buffer's {@link RowBuffer#blocks()}: for a
     * caller that decoded the rows of one insert into several buffers of its own (a router).
     */
    public void insert(List<RowBuffer> blocks, String deduplicationToken) throws SinkException {
        if (blocks.isEmpty()) {
            return;
        }
        block.clear();
        long bodySize = 0;
        for (RowBuffer b : blocks) {
            if (b.schema() != blocks.get(0).schema()) {
                throw new IllegalArgumentException("blocks of one insert must share one schema");
            }
            bodySize += NativeBlock.sizeHint(b.columns());
        }
        block.reserve((int) Math.min(bodySize, Integer.MAX_VALUE - 8)); // past 2 GB, appending names the limit
        for (RowBuffer b : blocks) {
            NativeBlock.append(b.columns(), b.rows(), block);
        }
        NativeBuffer body = sorter == null ? block : sorter.sort(block, blocks.get(0).columns(), blocks.get(0).schema());
        transport.insert(NativeBlock.insertSql(blocks.get(0).schema().qualifiedName(), blocks.get(0).columns()),
                insertSettings.forInsert(deduplicationToken), body.array(), body.size());
    }

    @Override
    public void insertErrors(List<ErrorRecord> errors, String deduplicationToken) throws SinkException {
        if (errorTable != null) {
            errorTable.insert(errors, insertSettings.forInsert(deduplicationToken));
        } else if (errorHandler != null) {
            errorHandler.accept(List.copyOf(errors));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A {@link KeeperMapDeliveryState} in the target's database, after checking that the
     * target (and the error table, when on) deduplicates inserts; see {@link DeduplicationCheck}.
     */
    @Override
    public DeliveryState deliveryState() throws SinkException {
        if (pipeName == null) {
            throw new IllegalStateException("open() the sink first");
        }
        if (!insertSettings.sendsTokens()) {
            throw new ClickHouseException(SinkException.Kind.FATAL, 0, "exactly-once needs insert_deduplication_token,"
                    + " which " + transport.describe() + " does not have (ClickHouse 22.2 or later)", null);
        }
        DeduplicationCheck.require(transport, database, table);
        if (errorTable != null) {
            DeduplicationCheck.require(transport, database, errorTableName);
        }
        return KeeperMapDeliveryState.open(transport, database, pipeName);
    }

    @Override
    public void abortInFlight() {
        transport.abortInFlight();
    }

    /** The error table's qualified name, or null when it is turned off. */
    public String errorTableName() {
        return errorTableEnabled ? database + "." + errorTableName : null;
    }

    @Override
    public String table() {
        return database + "." + table;
    }

    @Override
    public String describe() {
        return "ClickHouse table " + database + "." + table + " at " + transport.describe();
    }

    @Override
    public void close() {
        if (ownsTransport) {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "ClickHouseSink[" + describe() + "]";
    }

    /** Builds a {@link ClickHouseSink}. */
    public static final class Builder {
        private String endpoint;
        private String user = "default";
        private String password = "";
        private String database;
        private ClickHouseTransport transport;
        private String table;
        private boolean errorTable = true;
        private String errorTableName;
        private Duration errorTableTtl = Duration.ofDays(7);
        private Consumer<List<ErrorRecord>> errorHandler;
        private TableDefinition createTable;
        private final Map<String, String> insertSettings = new LinkedHashMap<>();
        private String[] roles;
        private InsertCompression compression;
        private boolean sortByTableKey;

        private Builder() {
        }

        /**
         * Whether each insert into the table is sorted by the table's sorting key ({@code ORDER BY}) before it
         * is sent, as one Native block (an insert decoded in chunks is several blocks, which the server would
         * squash and sort as one). The MergeTree writer then finds the block already sorted
         * ({@code MergeTreeDataWriterBlocksAlreadySorted} in {@code system.events}) and skips its own sort and
         * the permuted copy of every column. Server CPU moves to the pipe: measured here (ServerCostBenchmark,
         * web events, {@code ORDER BY (event_type, event_time)}, 100 000-row inserts) the engine's CPU went from
         * 0.45 to 0.33 us a row, and the pipe's from 0.014 to 0.18 us a row in the sink's insert (reading,
         * sorting and rewriting the block; one more copy of the insert body in memory). Worth it where the
         * server's CPU is the dearer one (ClickHouse Cloud). Ties keep their order (a stable sort, the engine's
         * own order), so the same batch always gives the same block, and ReplacingMergeTree keeps the same row.
         *
         * <p>Sorted when the key is plain columns of Int*, UInt*, Float*, BFloat16, Decimal, Bool, Date*,
         * DateTime*, Enum, UUID, IPv4, IPv6, String, FixedString or LowCardinality(String), Nullable or not.
         * Not sorted (logged once at INFO, naming why; the insert goes as before) when the table has no key
         * ({@code ORDER BY tuple()}), the key holds an expression ({@code toStartOfHour(ts)}) or a MATERIALIZED
         * or ALIAS column, a key column is Array, Tuple or Map, or the table has a Variant or Dynamic column. An
         * insert in which a key column with a DEFAULT is left NULL (the server fills it in) goes unsorted too. The error table is never sorted. Default: false.
         */
        public Builder sortByTableKey(boolean value) {
            sortByTableKey = value;
            return this;
        }

        /**
         * A ClickHouse setting sent with every insert of the pipe (target and error table), e.g.
         * {@code async_insert=1}, {@code insert_quorum=2}, {@code max_insert_block_size=1048576}.
         * Settings the pipe sets itself ({@code insert_deduplication_token}, {@code
         * insert_deduplicate}, {@code deduplicate_insert}, {@code async_insert_deduplicate}, {@code
         * wait_end_of_query}) and HTTP parameters ({@code query_id}, {@code database}, {@code
         * role}, {@code decompress}, ...) fail {@link #build()} naming them; so does {@code
         * wait_for_async_insert=0} with {@code async_insert=1}: an insert is acknowledged only once
         * flushed. A setting the server does not know fails the pipe's start, naming it. Default:
         * none.
         */
        public Builder insertSetting(String name, String value) {
            insertSettings.put(name, value);
            return this;
        }

        /** {@link #insertSetting} for each entry. */
        public Builder insertSettings(Map<String, String> settings) {
            settings.forEach(this::insertSetting);
            return this;
        }

        /**
         * With {@link #endpoint}: the roles every request runs with ({@link HttpTransport.Builder#roles};
         * ClickHouse 24.4 and later). With {@link #transport}, set them on the transport. Default: the
         * user's default roles.
         */
        public Builder roles(String... value) {
            roles = value.clone();
            return this;
        }

        /**
         * With {@link #endpoint}: how insert bodies are compressed ({@link HttpTransport.Builder#compression});
         * default {@link InsertCompression#ZSTD}.
         */
        public Builder compression(InsertCompression value) {
            compression = value;
            return this;
        }

        /**
         * Creates the table from this definition when it does not exist (see
         * {@link dev.clickpipes.clickhouse.ddl.SchemaInference}); an existing table is never altered.
         * A plain MergeTree created so deduplicates re-sent inserts
         * ({@link TableDefinition#deduplicatingOn}). Default: the table must exist.
         */
        public Builder createTable(TableDefinition value) {
            createTable = value;
            return this;
        }

        /** The server's HTTP(S) URL, e.g. {@code https://host:8443}. For TLS or timeout settings, build an {@link HttpTransport} and pass it to {@link #transport}. */
        public Builder endpoint(String url) {
            endpoint = url;
            return this;
        }

        /** User and password for {@link #endpoint}; default user {@code default} with no password. */
        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** The database of a table named without one; default {@code default}. */
        public Builder database(String value) {
            database = value;
            return this;
        }

        /** Any transport, such as {@code EmbeddedClickHouse} or a configured {@link HttpTransport}; the caller keeps it and closes it. */
        public Builder transport(ClickHouseTransport value) {
            transport = value;
            return this;
        }

        /** The target table, {@code database.table} or {@code table}. Required; it must exist. */
        public Builder table(String value) {
            table = value;
            return this;
        }

        /** Whether rejected records go to an error table next to the target; default true. */
        public Builder errorTable(boolean value) {
            errorTable = value;
            return this;
        }

        /** The error table's name (same database as the target); default {@code <table>_clickpipes_error}. */
        public Builder errorTableName(String value) {
            errorTableName = value;
            return this;
        }

        /** How long error rows are kept (a TTL on servers from 19.6); default 7 days. */
        public Builder errorTableTtl(Duration value) {
            errorTableTtl = value;
            return this;
        }

        /**
         * Receives rejected records when the error table is off ({@code errorTable(false)}); it
         * runs before the batch is committed, and a batch is committed only when it returns.
         */
        public Builder errorHandler(Consumer<List<ErrorRecord>> value) {
            errorHandler = value;
            return this;
        }

        /**
         * Turns the error table off and drops rejected records on purpose (they are still counted
         * in the pipe's metrics and given to its listener). Without it, {@code errorTable(false)}
         * needs an {@link #errorHandler}: a rejected record is never lost by accident.
         */
        public Builder discardRejectedRecords() {
            errorTable = false;
            errorHandler = errors -> { };
            return this;
        }

        /** The sink; fails with a message naming the first missing or invalid setting. */
        public ClickHouseSink build() {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("ClickHouseSink.table is not set: e.g. .table(\"analytics.events\")");
            }
            if ((endpoint == null) == (transport == null)) {
                throw new IllegalArgumentException("ClickHouseSink needs exactly one of .endpoint(url) or .transport(t)");
            }
            if (!errorTable && errorHandler == null) {
                throw new IllegalArgumentException("ClickHouseSink.errorTable(false) leaves rejected records nowhere:"
                        + " give them to .errorHandler(records -> ...), or drop them on purpose with"
                        + " .discardRejectedRecords()");
            }
            if (errorTableTtl == null || errorTableTtl.isNegative() || errorTableTtl.isZero()) {
                throw new IllegalArgumentException("ClickHouseSink.errorTableTtl must be positive, was " + errorTableTtl);
            }
            InsertSettings.validate(insertSettings);
            if (transport != null && (roles != null || compression != null)) {
                throw new IllegalArgumentException("ClickHouseSink." + (roles != null ? "roles" : "compression")
                        + " applies to .endpoint(url); with .transport(t), set it on the transport's builder");
            }
            int dot = table.indexOf('.');
            String db = dot > 0 ? table.substring(0, dot) : database != null ? database : "default";
            String name = dot > 0 ? table.substring(dot + 1) : table;
            boolean owns = transport == null;
            ClickHouseTransport t = owns
                    ? httpTransport(db)
                    : transport;
            return new ClickHouseSink(this, t, owns, db, name);
        }

        private HttpTransport httpTransport(String db) {
            HttpTransport.Builder b = HttpTransport.builder().endpoint(endpoint).credentials(user, password).database(db);
            if (roles != null) {
                b.roles(roles);
            }
            if (compression != null) {
                b.compression(compression);
            }
            return b.build();
        }
    }
}
