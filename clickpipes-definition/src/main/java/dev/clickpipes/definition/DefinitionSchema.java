package dev.clickpipes.definition;

import dev.clickpipes.core.Batching;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.source.memory.NdjsonFileSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a pipe definition takes, by section, with its default and the builder method it maps
 * to. {@link ReferencePage} writes docs/pipe-definition.md from these declarations, and the
 * parsers read nothing else. Defaults are the builders' own (a key left out calls no builder
 * method); those the builders expose are read from them here.
 */
public final class DefinitionSchema {

    static final String CODE_ONLY = "set it in code, on the builder from PipeDefinition.newBuilder()"
            + " or with a PipeCustomizer bean in the Spring starter";

    static final Section PIPE = Section.builder("pipe", "One pipe (`clickpipes.pipes.<name>` in the Spring starter; the name"
                    + " is the map key and becomes `Pipe.Builder.name`).")
            .section("source", "Where records come from: `Pipe.Builder.source`. See the source sections by `type`.")
            .section("decoder", "How record bytes become rows: `Pipe.Builder.decoder`. Required, except for an object-store source"
                    + " (which then decodes by its format).")
            .section("sink", "Where rows go: a `ClickHouseSink` over HTTP(S).")
            .section("routing", "One stream into many tables: each record to the table its route names (`Router`, clickpipes-sink-clickhouse)."
                    + " Default: none, every record to `sink.table`.")
            .section("mapping", "How record fields find columns: `Pipe.Builder.mapping`.")
            .section("batching", "When a batch closes: `Pipe.Builder.batching`.")
            .section("retry", "How failed inserts are retried: `Pipe.Builder.retry`.")
            .choice("delivery", "at-least-once", "What the pipe promises about each record: `Pipe.Builder.delivery`;"
                    + " exactly-once needs a deduplicating table (checked at start).", "at-least-once", "exactly-once")
            .key("close-timeout", KeyType.DURATION, "30s", "How long `Pipe.close()` waits for the last batch: `Pipe.Builder.closeTimeout`.")
            .refuse("name", "the pipe's name is its key under `clickpipes.pipes`")
            .refuse("listener", "a PipeListener is an object; " + CODE_ONLY)
            .refuse("insert-executor", "an Executor is an object; " + CODE_ONLY)
            .build();

    static final String[] SOURCE_TYPES = {"kafka", "object-store", "file", "memory"};

    static final Section KAFKA = Section.builder("source (type: kafka)", "`KafkaSource.builder()` (needs clickpipes-source-kafka).")
            .choice("type", null, "The kind of source.", SOURCE_TYPES)
            .key("bootstrap-servers", KeyType.STRING, null, "`host:port` of the brokers, comma-separated: `bootstrapServers`.")
            .key("topics", KeyType.LIST, "none", "The topics to read: `topics`. Required unless `topic-pattern` is set.")
            .key("topic-pattern", KeyType.STRING, "none", "A regular expression: every matching topic, also later ones: `topicPattern`.")
            .key("group-id", KeyType.STRING, "`clickpipes-<pipe name>`", "The consumer group: `groupId`.")
            .key("start-from", KeyType.STRING, "earliest", "Where a partition without a committed offset starts:"
                    + " `earliest`, `latest` or an ISO-8601 instant (`2026-01-31T00:00:00Z`): `startFrom`.")
            .key("read-committed", KeyType.BOOLEAN, "false", "Only committed transactional records: `readCommitted`.")
            .key("commit-timeout", KeyType.DURATION, "60s", "How long a synchronous offset commit waits: `commitTimeout`.")
            .section("sasl", "SASL authentication: `sasl`.")
            .section("tls", "TLS: `tls`.")
            .key("properties", KeyType.MAP, "none", "Other consumer properties, passed as they are (`max.poll.records: 500`): `property`."
                    + " Those the source sets itself are refused.")
            .refuse("security", "give `sasl` and/or `tls`; for a Security object, " + CODE_ONLY)
            .build();

    static final Section SASL = Section.builder("source.sasl", "`Sasl.plain`, `Sasl.scramSha256`, `Sasl.scramSha512`, `Sasl.awsMskIam`.")
            .choice("mechanism", null, "The SASL mechanism.", "plain", "scram-sha-256", "scram-sha-512", "aws-msk-iam")
            .key("username", KeyType.STRING, "none", "The user (plain, scram-*). Required for those.")
            .key("password", KeyType.SECRET, "none", "The password (plain, scram-*). Required for those.")
            .key("profile", KeyType.STRING, "the default credentials chain", "aws-msk-iam: a profile of `~/.aws/credentials`: `Sasl.awsMskIamProfile`.")
            .refuse("role-arn", "for an assumed role with MSK IAM (`Sasl.awsMskIamRole`), " + CODE_ONLY)
            .build();

    static final Section TLS = Section.builder("source.tls", "`Tls.system()` or `Tls.caPem(path)`.")
            .key("enabled", KeyType.BOOLEAN, "true", "TLS on (the section's presence turns it on; `false` turns it off).")
            .key("ca-pem-file", KeyType.STRING, "the JVM's trust store", "Trust only the CA certificate(s) in this PEM file: `Tls.caPem(Path)`.")
            .refuse("client-certificate", "for mutual TLS (`Tls.clientCertificatePem`), " + CODE_ONLY)
            .build();

    static final Section OBJECT_STORE = Section.builder("source (type: object-store)",
                    "`ObjectStoreSource.builder()` (needs clickpipes-source-objectstore): S3, S3-compatible stores, GCS, Azure Blob Storage, `file://`."
                            + " The pipe is given `source.decoder()`; a `decoder` section, if any, is the line decoder (`decoder`).")
            .choice("type", null, "The kind of source.", SOURCE_TYPES)
            .key("url", KeyType.STRING, null, "What to read, with a glob in the key (`s3://bucket/logs/**.ndjson.gz`, `file:///data/*.csv`): `url`.")
            .key("endpoint", KeyType.STRING, "the URL's", "An S3-compatible endpoint: `endpoint`.")
            .key("region", KeyType.STRING, "the URL's, else us-east-1", "The AWS region: `region`.")
            .key("path-style", KeyType.BOOLEAN, "as the URL is written", "Bucket in the path: `pathStyle`.")
            .key("checksums-when-required", KeyType.BOOLEAN, "false for S3, true for GCS", "`checksumsWhenRequired`.")
            .choice("format", "from the URL's extension", "The objects' format: `format`. `protobuf-delimited` (length-delimited"
                    + " messages) needs `decoder: {type: protobuf, descriptor-set, message-type}`.", "ndjson", "csv", "tsv", "parquet",
                    "protobuf-delimited")
            .choice("compression", "auto", "The objects' compression: `compression`.", "auto", "none", "gzip", "zstd", "bzip2", "xz", "lz4")
            .key("header-lines", KeyType.INT, "0", "Lines at the start of each text object that are not records: `headerLines`.")
            .key("max-object-size", KeyType.SIZE, "0 (no cap)", "Larger objects go to the error table as FILE_TOO_LARGE: `maxObjectSize`.")
            .key("max-record-bytes", KeyType.SIZE, String.valueOf(10 << 20), "The longest record of a text object: `maxRecordBytes`.")
            .choice("mode", "one-time", "Load once and finish, or keep listing: `oneTime` / `continuous`.", "one-time", "continuous")
            .key("interval", KeyType.DURATION, "none", "continuous: how often to list again. Required with `mode: continuous`.")
            .choice("ordering", "lexical", "continuous: only keys after the last one loaded, or any new one.", "lexical", "any")
            .key("worker-id", KeyType.STRING, "the pipe's name", "This worker's id in the state table: `workerId`.")
            .section("coordination", "How workers divide the objects: `coordination`.")
            .key("reload-rewritten-objects", KeyType.BOOLEAN, "true", "Load an object again when it is rewritten: `reloadRewrittenObjects`.")
            .key("claim-batch", KeyType.INT, "100", "Objects looked up in the state table at once: `claimBatch`.")
            .section("auth", "The credentials: `auth`.")
            .refuse("state-store", "it takes a ClickHouseTransport; " + CODE_ONLY)
            .refuse("notifications", "SQS notifications are an object; " + CODE_ONLY)
            .refuse("store", "an ObjectStore is an object; " + CODE_ONLY)
            .build();

    static final Section AUTH = Section.builder("source.auth", "`ObjectAuth.defaultChain()`, `anonymous()`, `accessKey(..)`, `hmac(..)`,"
                    + " `assumeRole(..)`, `gcsServiceAccount(..)`, `azureSharedKey(..)`, `azureSas(..)`, `azureConnectionString(..)`.")
            .choice("type", "default-chain", "The kind of credentials.", "default-chain", "anonymous", "access-key", "hmac", "assume-role",
                    "gcs-service-account", "azure-shared-key", "azure-sas", "azure-connection-string")
            .key("access-key-id", KeyType.STRING, "none", "access-key, hmac: the key id.")
            .key("secret-access-key", KeyType.SECRET, "none", "access-key, hmac: the secret.")
            .key("role-arn", KeyType.STRING, "none", "assume-role: the role.")
            .key("external-id", KeyType.STRING, "none", "assume-role: the external id.")
            .key("key-file", KeyType.STRING, "none", "gcs-service-account: the JSON key file.")
            .key("account-name", KeyType.STRING, "none", "azure-shared-key: the storage account.")
            .key("account-key", KeyType.SECRET, "none", "azure-shared-key: one of the account's access keys.")
            .key("sas-token", KeyType.SECRET, "none", "azure-sas: the SAS token (sv=...&sig=...), with list and read (sp=rl).")
            .key("connection-string", KeyType.SECRET, "none", "azure-connection-string: the storage account's connection string.")
            .build();

    static final Section COORDINATION = Section.builder("source.coordination", "`Coordination.singleWorker()`, `staticShare(i, n)`, `leases(lease)`."
                    + " Leases need the state store, which is code-only: a definition refuses them.")
            .choice("type", "single-worker", "How the workers divide the objects.", "single-worker", "static-share")
            .key("index", KeyType.INT, "none", "static-share: this worker's share, from 0.")
            .key("count", KeyType.INT, "none", "static-share: the number of shares.")
            .build();

    static final Section FILE = Section.builder("source (type: file)", "`NdjsonFileSource` (core): the lines of a local file.")
            .choice("type", null, "The kind of source.", SOURCE_TYPES)
            .key("path", KeyType.STRING, null, "The file: `NdjsonFileSource.of(Path)`.")
            .key("start-after-line", KeyType.LONG, "0 (from the start)", "Skip the lines up to this one: `startAfterLine`.")
            .key("checkpoint", KeyType.STRING, "none", "A file that keeps the last committed line: `withCheckpoint`.")
            .key("max-record-bytes", KeyType.SIZE, String.valueOf(NdjsonFileSource.DEFAULT_MAX_RECORD_BYTES), "The longest line: `maxRecordBytes`.")
            .build();

    static final Section MEMORY = Section.builder("source (type: memory)", "`MemorySource.of(records)` (core): these records, then finished."
                    + " For demos and tests.")
            .choice("type", null, "The kind of source.", SOURCE_TYPES)
            .key("records", KeyType.LIST, "none", "The records, one list item each (a single text holds one per line).")
            .build();

    static final String[] DECODER_TYPES = {"json", "csv", "tsv", "avro-confluent", "protobuf-confluent", "protobuf"};

    static final Section JSON = Section.builder("decoder (type: json)", "`Decoders.json()`: one JSON object per record.")
            .choice("type", null, "The format.", DECODER_TYPES)
            .build();

    static final Section CSV = delimited("csv", "CsvDecoder", ",");

    static final Section TSV = delimited("tsv", "TsvDecoder", "a tab");

    static final Section AVRO = Section.builder("decoder (type: avro-confluent)", "`AvroDecoders.confluent(SchemaRegistry)`"
                    + " (needs clickpipes-format-avro).")
            .choice("type", null, "The format.", DECODER_TYPES)
            .section("schema-registry", "The registry: `SchemaRegistry.builder()`.")
            .build();

    static final Section PROTOBUF = Section.builder("decoder (type: protobuf-confluent)",
                    "`ProtobufDecoders.confluent(SchemaRegistry)` (needs clickpipes-format-protobuf).")
            .choice("type", null, "The format.", DECODER_TYPES)
            .section("schema-registry", "The registry: `SchemaRegistry.builder()`; it must answer `?format=serialized`.")
            .build();

    static final Section PROTOBUF_MESSAGES = Section.builder("decoder (type: protobuf)",
                    "`ProtobufDecoders.messages(descriptorSet, messageType)` (needs clickpipes-format-protobuf): each record one bare"
                            + " message, as an object-store source of `format: protobuf-delimited` reads them.")
            .choice("type", null, "The format.", DECODER_TYPES)
            .key("descriptor-set", KeyType.STRING, null, "A `FileDescriptorSet` file (`protoc --include_imports"
                    + " --descriptor_set_out=shop.desc shop.proto`) holding the message type and what it imports.")
            .key("message-type", KeyType.STRING, null, "The message's full name, `package.Message` (`shop.Order`).")
            .build();

    static final Section REGISTRY = Section.builder("decoder.schema-registry", "`SchemaRegistry.builder()`.")
            .key("url", KeyType.STRING, null, "The registry's URL (a subject or schema URL pins one schema): `url`.")
            .key("username", KeyType.STRING, "none", "HTTP basic user (Confluent Cloud: the API key): `basicAuth`.")
            .key("password", KeyType.SECRET, "none", "HTTP basic password (the API secret): `basicAuth`.")
            .key("ca-pem-file", KeyType.STRING, "the JVM's trust store", "Trust the CA(s) in this PEM file: `caPem(Path)`.")
            .key("timeout", KeyType.DURATION, "10s", "One request's time: `timeout`.")
            .key("max-response-bytes", KeyType.INT, String.valueOf(8 << 20), "The largest answer read: `maxResponseBytes`.")
            .build();

    private static final String NO_TIMEOUTS = "`ClickHouseSink.endpoint` takes no timeouts; build an HttpTransport in code and"
            + " give it as the sink's transport";

    static final Section SINK = Section.builder("sink", "`ClickHouseSink.builder()` with `.endpoint(url)`: the HTTP(S) transport the sink owns.")
            .key("endpoint", KeyType.STRING, null, "`http(s)://host:port` of the server: `endpoint`.")
            .key("user", KeyType.STRING, "default", "The user: `credentials`.")
            .key("password", KeyType.SECRET, "empty", "The user's password: `credentials`.")
            .key("database", KeyType.STRING, "default", "The database of a table named without one: `database`.")
            .key("table", KeyType.STRING, "none", "The target table, `db.table` or `table`; it must exist: `table`. Required, except"
                    + " with `routing` (which names the tables; then it is refused).")
            .key("error-table", KeyType.BOOLEAN, "true", "Rejected records go to `<table>_clickpipes_error`: `errorTable`."
                    + " `false` needs `discard-rejected-records: true` (an error handler is code).")
            .key("error-table-name", KeyType.STRING, "`<table>_clickpipes_error`", "The error table's name: `errorTableName`."
                    + " With `routing`, refused: see `routing.error-table-name`.")
            .key("error-table-ttl", KeyType.DURATION, "7d", "How long error rows are kept: `errorTableTtl`.")
            .key("discard-rejected-records", KeyType.BOOLEAN, "false", "Turn the error table off and drop rejected records on purpose:"
                    + " `discardRejectedRecords`.")
            .key("insert-settings", KeyType.MAP, "none", "ClickHouse settings sent with every insert (`async_insert: 1`): `insertSetting`.")
            .choice("compression", "zstd", "How insert bodies are compressed: `compression`.", "none", "lz4", "zstd")
            .key("sort-by-table-key", KeyType.BOOLEAN, "false", "Send each insert already sorted by the table's `ORDER BY`"
                    + " key, so the server skips its own sort (server CPU moved to the pipe): `sortByTableKey`.")
            .key("roles", KeyType.LIST, "the user's default roles", "Roles every request runs with: `roles`.")
            .refuse("transport", "a ClickHouseTransport is an object; " + CODE_ONLY)
            .refuse("connect-timeout", NO_TIMEOUTS)
            .refuse("socket-timeout", NO_TIMEOUTS)
            .refuse("trust-store", "`ClickHouseSink.endpoint` takes no TLS settings; build an HttpTransport in code")
            .refuse("ca-certificate-pem", "`ClickHouseSink.endpoint` takes no TLS settings; build an HttpTransport in code")
            .refuse("create-table", "a TableDefinition is an object; " + CODE_ONLY + ", or create the table beforehand"
                    + " (a routed pipe takes `routing.create-table`)")
            .refuse("error-handler", "a callback is code; " + CODE_ONLY)
            .build();

    static final Section ROUTING = Section.builder("routing", "`Router.builder()`: each record goes to the table its route names,"
                    + " each table with its own schema and error table, over the `sink` section's endpoint; the pipe's `decoder` and"
                    + " `mapping` apply to every table. A position is committed only when its records are in every table; with"
                    + " `delivery: exactly-once` every table (and error table) must deduplicate.")
            .choice("route-by", null, "What names a record's route: a top-level JSON field, a Kafka header, the topic, or a virtual"
                    + " column of the source: `RouteKey.field`, `header`, `topic`, `virtualColumn`.", "field", "header", "topic",
                    "virtual-column")
            .key("name", KeyType.STRING, "none", "The field's, header's or virtual column's name (`type`, `event-type`, `_key`)."
                    + " Required with those; refused with `route-by: topic`.")
            .key("tables", KeyType.MAP, "none", "Route to table (`order: orders`, `refund: shop.refunds`; without a database, the"
                    + " sink's): `target`. One of `tables` and `table-template` is required; with both, the map comes first.")
            .key("table-template", KeyType.STRING, "none", "The table of a route the map does not name, with `{route}` in it"
                    + " (`events_{route}`): `tablesByRoute`. Routes other than letters, digits and `_` go to the fallback table.")
            .key("mappings", KeyType.MAP, "none", "Per route of `tables`, record field to column, beside the pipe's `mapping`"
                    + " (which applies to every table): `refund: {order: order_id}` maps `order` to `order_id` in the refunds'"
                    + " table only: `target(route, sink, decoder, mapping)`.")
            .section("create-table", "Create a missing target table from this definition: `ClickHouseSink.Builder.createTable`."
                    + " Default: every table must exist.")
            .key("max-targets", KeyType.INT, "100", "Tables in all, named and by template; a route past it goes to the fallback"
                    + " table: `maxTargets`. Only with `table-template`.")
            .key("error-table-name", KeyType.STRING, "`{table}_clickpipes_error`", "Each target's own error table, with `{table}`"
                    + " in it (`{table}_errors`): `ClickHouseSink.Builder.errorTableName`. The sink's `error-table`,"
                    + " `error-table-ttl` and `discard-rejected-records` apply to each.")
            .key("fallback-error-table", KeyType.STRING, "`clickpipes_unrouted` in the sink's database", "Where records with no"
                    + " route, with a route no table takes, or whose table and error table are gone, are filed (created when"
                    + " missing): `fallbackErrorTable`.")
            .build();

    static final Section CREATE_TABLE = Section.builder("routing.create-table", "`TableDefinition.builder()`: the table a missing"
                    + " target is created as (`CREATE TABLE IF NOT EXISTS`); an existing table is never altered.")
            .key("columns", KeyType.MAP, null, "Column to type, in order (`id: UInt64`, `amount: Decimal(10, 2)`): `column`.")
            .key("order-by", KeyType.STRING, null, "The sorting key (`id`, `(user_id, ts)`, `tuple()`): `orderBy`.")
            .key("engine", KeyType.STRING, "MergeTree", "The table engine: `engine`.")
            .key("partition-by", KeyType.STRING, "none", "A partition key (`toYYYYMM(ts)`): `partitionBy`.")
            .key("ttl", KeyType.STRING, "none", "A TTL (`ts + INTERVAL 30 DAY`): `ttl`.")
            .key("settings", KeyType.MAP, "none", "Table settings, rendered as `SETTINGS k = v` (numbers bare, other values as"
                    + " quoted strings): `non_replicated_deduplication_window: 1000` (a plain MergeTree deduplicates retried"
                    + " inserts only with it), `index_granularity: 8192`, `storage_policy: hot`: `setting`.")
            .build();

    static final Section MAPPING = Section.builder("mapping", "`FieldMapping.builder()`.")
            .key("fields", KeyType.MAP, "none (by name)", "Record field to column (`userId: user_id`, `address.country: country`): `map`.")
            .key("case-insensitive", KeyType.BOOLEAN, "false", "Match fields to columns ignoring case: `caseInsensitive`.")
            .build();

    static final Section BATCHING = Section.builder("batching", "`Batching.builder()`: a batch closes at the first limit reached.")
            .key("max-rows", KeyType.INT, String.valueOf(Batching.defaults().maxRows()), "Rows per batch: `maxRows`.")
            .key("max-bytes", KeyType.SIZE, String.valueOf(Batching.defaults().maxBytes()), "Bytes of encoded columns per batch: `maxBytes`.")
            .key("max-age", KeyType.DURATION, text(Batching.defaults().maxAge()), "Age of a batch from its first record: `maxAge`.")
            .build();

    static final Section RETRY = Section.builder("retry", "`RetryPolicy.of(initialBackoff, maxBackoff, maxAttempts)`:"
                    + " exponential backoff with jitter; a batch is never dropped.")
            .key("initial-backoff", KeyType.DURATION, text(RetryPolicy.defaults().initialBackoff()), "The first wait.")
            .key("max-backoff", KeyType.DURATION, text(RetryPolicy.defaults().maxBackoff()), "The longest wait.")
            .key("max-attempts", KeyType.INT, String.valueOf(RetryPolicy.defaults().maxAttempts()),
                    "Attempts per insert before the pipe stops; 0 is forever.")
            .build();

    private DefinitionSchema() {
    }

    /** Every section, in the order of the reference page. */
    public static Map<String, Section> sections() {
        Map<String, Section> all = new LinkedHashMap<>();
        for (Section s : List.of(PIPE, KAFKA, SASL, TLS, OBJECT_STORE, AUTH, COORDINATION, FILE, MEMORY,
                JSON, CSV, TSV, AVRO, PROTOBUF, PROTOBUF_MESSAGES, REGISTRY, SINK, ROUTING, CREATE_TABLE, MAPPING, BATCHING, RETRY)) {
            all.put(s.title(), s);
        }
        return all;
    }

    /** A duration as the definition writes it: {@code 200ms}, {@code 5s}, {@code 2m}, {@code 7d}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** The section of a delimited-text decoder: CSV and TSV take the same keys, with their own delimiter default. */
    private static Section delimited(String type, String decoderClass, String delimiterDefault) {
        return Section.builder("decoder (type: " + type + ")", "`" + decoderClass + ".builder()`.")
                .choice("type", null, "The format.", DECODER_TYPES)
                .key("with-names", KeyType.BOOLEAN, "false", "The first row of each partition names the columns: `withNames`.")
                .key("delimiter", KeyType.STRING, delimiterDefault, "One character: `delimiter`.")
                .key("column-names", KeyType.LIST, "the table's columns in order", "The fields' names, in order: `columnNames`.")
                .build();
    }
}
