package dev.clickpipes.samples;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpServer;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.ErrorRecord;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.PipeMetrics;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.ForwardingSink;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.format.Decoders;
import dev.clickpipes.format.avro.AvroDecoders;
import dev.clickpipes.format.registry.SchemaRegistry;
import dev.clickpipes.source.kafka.KafkaSource;
import dev.clickpipes.testkit.EmbeddedClickHouse;
import dev.clickpipes.testservices.KafkaLocal;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka ingest benchmark: ~1.6 KB events as JSON and as AvroConfluent, and ~150 B events as JSON,
 * from a local broker (in a child JVM unless {@code --broker this-jvm}) through one pipe into the
 * embedded engine. Prints MB/s per pipe core, the message bytes consumed per CPU-second of the
 * pipe's threads (its worker thread, its insert thread, the Kafka consumer's heartbeat thread),
 * beside ClickPipes' published 63 MB/s (JSON) and 99 MB/s (Avro) per vCPU, and per CPU-second of
 * the pipe's whole JVM less the embedded engine's own CPU (its {@code system.events} counters):
 * what a host inserting into a remote ClickHouse would spend, the figure to set beside the Kafka
 * Connect sink's 8.4 MB (150 B) and 35 MB (1.6 KB) per Connect CPU-second measured here. Where the
 * time goes: a second pass with the insert left out shows the cost of reading and decoding alone.
 * Throughput is steady-state: from the first message read to all committed, the group join left
 * out, and the last batch sent as soon as every message is read ({@code close()}) instead of after
 * its age.
 * Warm-up rounds ({@link Rounds}), then R rounds; figures are medians, with min and max.
 *
 * <p>{@code --consumer-property key=value} (repeatable) sets a kafka-clients consumer property on every pipe of the
 * run, over the benchmark's own ({@code max.poll.records=5000}, {@code max.partition.fetch.bytes} 8 MB): for example
 * {@code receive.buffer.bytes=-1}, the operating system's socket buffer. Each round then also runs the JSON and Avro
 * passes without them, alternating which goes first, and the report sets the two side by side.
 *
 * <pre>KafkaBenchmark [--messages N] [--small-messages N] [--partitions P] [--rounds R] [--port P]
 *                [--broker child|this-jvm] [--consumer-property key=value]...</pre>
 */
public final class KafkaBenchmark {

    /** The broker's port, unless {@code --port P} says: the controller takes P + 1, the schema registry P + 2. */
    private static final int DEFAULT_PORT = 19096;
    private static final double CLICKPIPES_JSON = 63;
    private static final double CLICKPIPES_AVRO = 99;
    /** The Kafka Connect sink's MB per Connect CPU-second measured here, at 150 B and 1.6 KB. */
    private static final double CONNECT_SMALL = 8.4;
    private static final double CONNECT_LARGE = 35;
    private static final String SMALL_COLUMNS = "id UInt64, ts DateTime64(3, 'UTC'), user_id UInt32,"
            + " event LowCardinality(String), country LowCardinality(String), amount Float64, url String";
    private static final String COLUMNS = "id UInt64, ts DateTime64(3, 'UTC'), user_id UInt32, session UUID,"
            + " event LowCardinality(String), country LowCardinality(String), amount Float64, tags Array(String),"
            + " url String, user_agent String, payload String";
    private static final String AVRO_SCHEMA = """
        {"type": "record", "name": "Event", "namespace": "bench", "fields": [
          {"name": "id", "type": "long"},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "user_id", "type": "int"},
          {"name": "session", "type": {"type": "string", "logicalType": "uuid"}},
          {"name": "event", "type": "string"},
          {"name": "country", "type": "string"},
          {"name": "amount", "type": "double"},
          {"name": "tags", "type": {"type": "array", "items": "string"}},
          {"name": "url", "type": "string"},
          {"name": "user_agent", "type": "string"},
          {"name": "payload", "type": "string"}]}""";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String[] EVENTS = {"view", "click", "add_to_cart", "purchase", "signup", "logout"};
    private static final String[] COUNTRIES = {"US", "DE", "FR", "BR", "IN", "JP", "GB", "CA"};

    /** Consumer properties from {@code --consumer-property}, set on every pipe after the benchmark's own. */
    private static final Map<String, String> CONSUMER_PROPERTIES = new java.util.LinkedHashMap<>();

    private KafkaBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int messages = 200_000;
        int smallMessages = 1_000_000;
        boolean childBroker = true;
        int partitions = 4;
        int rounds = Rounds.DEFAULT;
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--small-messages" -> smallMessages = Integer.parseInt(args[++i]);
                case "--broker" -> childBroker = switch (args[++i]) {
                    case "child" -> true;
                    case "this-jvm" -> false;
                    default -> throw new IllegalArgumentException("--broker child|this-jvm, got " + args[i]);
                };
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--consumer-property" -> {
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw new IllegalArgumentException("--consumer-property key=value, got " + args[i]);
                    }
                    CONSUMER_PROPERTIES.put(kv[0].strip(), kv[1].strip());
                }
                default -> throw new IllegalArgumentException(
                        "usage: KafkaBenchmark [--messages N] [--small-messages N] [--partitions P] [--rounds R]"
                                + " [--port P] [--broker child|this-jvm] [--consumer-property key=value]...");
            }
        }
        KafkaLocal.quietLogs();
        EmbeddedClickHouse clickhouse = EmbeddedClickHouse.shared();
        Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
        HttpServer registry = registry(schema, port + 2);
        try (KafkaLocal kafka = childBroker ? KafkaLocal.startChildJvm(port, port + 1) : KafkaLocal.start(port, port + 1)) {
            kafka.createTopic("bench-json", partitions);
            kafka.createTopic("bench-avro", partitions);
            kafka.createTopic("bench-small", partitions);
            long[] jsonBytes = produce(kafka, "bench-json", messages, partitions, (id, rnd) -> Event.random(id, rnd).json());
            long[] avroBytes = produce(kafka, "bench-avro", messages, partitions,
                    (id, rnd) -> Event.random(id, rnd).avro(schema));
            long[] smallBytes = produce(kafka, "bench-small", smallMessages, partitions, KafkaBenchmark::smallJson);
            System.out.printf("Kafka 4.3.1 (%s), ClickHouse %s (embedded), %,d messages per format, %,d small ones,"
                            + " %d partitions, %d cores%n  JSON %.0f B/message, Avro %.0f B/message, small JSON %.0f"
                            + " B/message%n%n", childBroker ? "in a child JVM" : "in this JVM",
                    clickhouse.version(), messages, smallMessages, partitions, Runtime.getRuntime().availableProcessors(),
                    (double) jsonBytes[0] / messages, (double) avroBytes[0] / messages,
                    (double) smallBytes[0] / Math.max(1, smallMessages));
            if (!CONSUMER_PROPERTIES.isEmpty()) {
                System.out.printf("  consumer properties: %s%n%n", CONSUMER_PROPERTIES);
            }
            clickhouse.query("CREATE DATABASE IF NOT EXISTS bench");
            Decoder avro = AvroDecoders.confluent(SchemaRegistry.of("http://127.0.0.1:" + (port + 2)));
            AtomicInteger run = new AtomicInteger();
            int n = messages;
            int small = smallMessages;
            Rounds r = new Rounds(rounds);
            r.run((round, label) -> {
                System.out.println(label + ":");
                boolean withoutFirst = !CONSUMER_PROPERTIES.isEmpty() && round % 2 == 1;
                if (withoutFirst) {
                    passesWithoutTheProperties(r, clickhouse, kafka, avro, n, run);
                }
                record(r, "JSON", pass(clickhouse, kafka, "bench-json", Decoders.json(), COLUMNS, n, true, run));
                record(r, "Avro", pass(clickhouse, kafka, "bench-avro", avro, COLUMNS, n, true, run));
                if (!CONSUMER_PROPERTIES.isEmpty() && !withoutFirst) {
                    passesWithoutTheProperties(r, clickhouse, kafka, avro, n, run);
                }
                record(r, "JSON decode", pass(clickhouse, kafka, "bench-json", Decoders.json(), COLUMNS, n, false, run));
                record(r, "Avro decode", pass(clickhouse, kafka, "bench-avro", avro, COLUMNS, n, false, run));
                if (small > 0) {
                    record(r, "small", pass(clickhouse, kafka, "bench-small", Decoders.json(), SMALL_COLUMNS, small,
                            true, run));
                    record(r, "small decode", pass(clickhouse, kafka, "bench-small", Decoders.json(), SMALL_COLUMNS,
                            small, false, run));
                }
            });
            System.out.printf("%n%s, MB = 10^6 bytes of Kafka message values:%n", r.heading());
            report(r, "JSON", jsonBytes[0], CLICKPIPES_JSON, CONNECT_LARGE);
            report(r, "Avro", avroBytes[0], CLICKPIPES_AVRO, 0);
            if (!CONSUMER_PROPERTIES.isEmpty()) {
                System.out.printf("  the same rounds without %s, alternating with the passes above:%n", CONSUMER_PROPERTIES);
                for (String format : new String[] {"JSON", "Avro"}) {
                    long bytes = format.equals("JSON") ? jsonBytes[0] : avroBytes[0];
                    System.out.printf("  %-5s %6.1f MB per pipe-thread CPU-second, worker %s s, insert %s s%n", format,
                            bytes / 1e6 / r.median(format + " without pipe"), r.summary(format + " without worker", "%.2f"),
                            r.summary(format + " without insert", "%.2f"));
                }
            }
            if (small > 0) {
                report(r, "small", smallBytes[0], CLICKPIPES_JSON, CONNECT_SMALL);
            }
        } finally {
            registry.stop(0);
        }
    }

    /** The full JSON and Avro passes with kafka-clients' defaults instead of the {@code --consumer-property} ones. */
    private static void passesWithoutTheProperties(Rounds r, EmbeddedClickHouse clickhouse, KafkaLocal kafka, Decoder avro,
                                                   int n, AtomicInteger run) throws Exception {
        Map<String, String> given = Map.copyOf(CONSUMER_PROPERTIES);
        CONSUMER_PROPERTIES.clear();
        try {
            record(r, "JSON without", pass(clickhouse, kafka, "bench-json", Decoders.json(), COLUMNS, n, true, run));
            record(r, "Avro without", pass(clickhouse, kafka, "bench-avro", avro, COLUMNS, n, true, run));
        } finally {
            CONSUMER_PROPERTIES.putAll(given);
        }
    }

    private static void record(Rounds r, String pass, Result result) {
        r.record(pass + " wall", result.wall);
        r.record(pass + " steady", result.steady);
        r.record(pass + " pipe", result.pipeCpu());
        r.record(pass + " worker", result.worker);
        r.record(pass + " insert", result.insert);
        r.record(pass + " heartbeat", result.heartbeat);
        r.record(pass + " process", result.process);
        r.record(pass + " engine", result.engine);
        r.record(pass + " process less engine", result.process - result.engine);
        r.record(pass + " broker", result.broker);
    }

    private static void report(Rounds r, String format, long bytes, double clickpipes, double connect) {
        double perCore = bytes / 1e6 / r.median(format + " pipe");
        System.out.printf("  %-5s %6.1f MB per pipe-thread CPU-second  (ClickPipes %.0f MB/s per vCPU: %.2fx; goal 2x)%n",
                format, perCore, clickpipes, perCore / clickpipes);
        double perJvm = bytes / 1e6 / r.median(format + " process less engine");
        System.out.printf("        %6.1f MB per CPU-second of the pipe's JVM less the engine's own CPU%s%n", perJvm,
                connect == 0 ? "" : String.format(" (the Kafka Connect sink %.1f MB per Connect CPU-second: %.2fx;"
                        + " goal 3x)", connect, perJvm / connect));
        System.out.printf("        steady wall %s s = %.1f MB/s (first message read to all committed; %s s with the group"
                        + " join); pipe CPU %s s = worker %s + insert %s + heartbeat %s;"
                        + " whole process %s s (engine and GC included; the broker too with --broker this-jvm),"
                        + " of which the engine %s s; the broker's child JVM %s s%n",
                r.summary(format + " steady", "%.2f"), bytes / 1e6 / r.median(format + " steady"),
                r.summary(format + " wall", "%.2f"),
                r.summary(format + " pipe", "%.2f"), r.summary(format + " worker", "%.2f"),
                r.summary(format + " insert", "%.2f"), r.summary(format + " heartbeat", "%.2f"),
                r.summary(format + " process", "%.2f"), r.summary(format + " engine", "%.2f"),
                r.summary(format + " broker", "%.2f"));
        double decodeOnly = r.median(format + " decode pipe");
        System.out.printf("        read + decode alone (no insert): pipe CPU %s s = %.1f MB/s per core;"
                        + " so the insert (Native encoding + engine) takes %.2f s of the %.2f s%n",
                r.summary(format + " decode pipe", "%.2f"), bytes / 1e6 / decodeOnly,
                r.median(format + " pipe") - decodeOnly, r.median(format + " pipe"));
    }

    private record Result(double wall, double steady, double worker, double insert, double heartbeat, double process, double engine,
                          double broker) {
        double pipeCpu() {
            return worker + insert + heartbeat;
        }
    }

    /** One pipe over the whole topic with a fresh group; with {@code insert} false the sink drops the batches. */
    private static Result pass(EmbeddedClickHouse clickhouse, KafkaLocal kafka, String topic, Decoder decoder,
                               String columns, int messages, boolean insert, AtomicInteger run) throws Exception {
        int n = run.incrementAndGet();
        String table = "bench.kafka_" + n;
        clickhouse.query("DROP TABLE IF EXISTS " + table);
        clickhouse.query("CREATE TABLE " + table + " (" + columns + ") ENGINE = MergeTree ORDER BY (event, ts)");
        Thread[] workerThread = new Thread[1];
        Thread[] insertThread = new Thread[1];
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> workerThread[0] = new Thread(r, "bench-pipe-" + n));
        ExecutorService inserter = Executors.newSingleThreadExecutor(r -> insertThread[0] = new Thread(r, "bench-insert-" + n));
        String group = "bench-" + n;
        Sink sink = ClickHouseSink.builder().transport(clickhouse).table(table).build();
        Pipe pipe = Pipe.builder().name("bench-" + n)
                .source(KafkaSource.builder().bootstrapServers(kafka.bootstrapServers()).topics(topic).groupId(group)
                        .property("max.poll.records", 5000).property("max.partition.fetch.bytes", 8 << 20)
                        .properties(CONSUMER_PROPERTIES).build())
                .decoder(decoder)
                .sink(insert ? sink : new DroppingSink(sink))
                .insertExecutor(inserter)
                .batching(Batching.defaults())
                .build();
        inserter.submit(() -> { }).get(); // creates the insert thread before the clock starts
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processBefore = os.getProcessCpuTime();
        EngineCpu engineBefore = EngineCpu.read(clickhouse);
        double brokerBefore = kafka.childCpuSeconds();
        long start = System.nanoTime();
        Future<?> running = worker.submit(pipe);
        long lastReport = start;
        long firstRead = 0;
        // Until every message is read; then close() sends the open batch at once instead of after its age.
        for (PipeMetrics now = pipe.metrics(); now.recordsRead() < messages; now = pipe.metrics()) {
            if (firstRead == 0 && now.recordsRead() > 0) {
                firstRead = System.nanoTime();
            }
            if (running.isDone()) {
                running.get();
                throw new IllegalStateException("the pipe stopped early: " + pipe.metrics());
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.println("    ... " + pipe.metrics());
            }
            Thread.sleep(5);
        }
        pipe.close();
        long end = System.nanoTime();
        double wall = (end - start) / 1e9;
        double steady = (end - (firstRead == 0 ? start : firstRead)) / 1e9;
        double process = (os.getProcessCpuTime() - processBefore) / 1e9;
        double engine = EngineCpu.read(clickhouse).since(engineBefore);
        double broker = kafka.childCpuSeconds() - brokerBefore;
        double workerCpu = mx.getThreadCpuTime(workerThread[0].threadId()) / 1e9;
        double insertCpu = mx.getThreadCpuTime(insertThread[0].threadId()) / 1e9;
        double heartbeat = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("kafka-coordinator-heartbeat-thread") && t.getName().endsWith(group)) {
                heartbeat += Math.max(0, mx.getThreadCpuTime(t.threadId())) / 1e9;
            }
        }
        PipeMetrics m = pipe.metrics();
        worker.shutdown();
        inserter.shutdown();
        worker.awaitTermination(30, TimeUnit.SECONDS);
        if (m.errorRows() != 0 || m.committedRows() != messages) {
            throw new IllegalStateException(m.committedRows() + " rows committed, " + m.errorRows() + " error rows: "
                    + m.lastError());
        }
        if (insert) {
            long rows = clickhouse.queryLong("SELECT count() FROM " + table);
            if (rows != messages) {
                throw new IllegalStateException(table + " has " + rows + " rows, expected " + messages);
            }
        }
        clickhouse.query("DROP TABLE IF EXISTS " + table);
        System.out.printf("  %-5s %-9s wall %5.2f s (steady %5.2f s)  worker %5.2f s  insert %5.2f s  heartbeat %4.2f s  process %5.2f s"
                        + " (engine %5.2f s)  broker %5.2f s  %d batches%n", topic.substring(6), insert ? "full" : "no insert",
                wall, steady, workerCpu, insertCpu, heartbeat, process, engine, broker, m.batches());
        return new Result(wall, steady, workerCpu, insertCpu, heartbeat, process, engine, broker);
    }

    /** Opens the real sink (for the table's columns) but drops the batches: measures reading and decoding alone. */
    private static final class DroppingSink extends ForwardingSink {
        DroppingSink(Sink real) {
            super(real);
        }

        @Override
        public void insert(RowBuffer rows, String deduplicationToken) {
        }

        @Override
        public void insertErrors(List<ErrorRecord> errors, String deduplicationToken) {
        }

        @Override
        public String describe() {
            return "nowhere (" + delegate().describe() + ")";
        }
    }

    /** One benchmark event, rendered as JSON or as Confluent-framed Avro. */
    private record Event(long id, long ts, int userId, String session, String event, String country, double amount,
                         List<String> tags, String url, String userAgent, String payload) {

        static Event random(long id, Random rnd) {
            StringBuilder payload = new StringBuilder();
            while (payload.length() < 1150) {
                payload.append("lorem ipsum dolor sit amet ").append(rnd.nextInt(1_000_000)).append(' ');
            }
            return new Event(id, 1_714_521_600_000L + id * 7, rnd.nextInt(1_000_000),
                    new UUID(rnd.nextLong(), rnd.nextLong()).toString(), EVENTS[rnd.nextInt(EVENTS.length)],
                    COUNTRIES[rnd.nextInt(COUNTRIES.length)], Math.round(rnd.nextDouble() * 100_000) / 100.0,
                    List.of("t" + rnd.nextInt(50), "t" + rnd.nextInt(50), "campaign-" + rnd.nextInt(10)),
                    "https://shop.example.com/products/" + rnd.nextInt(100_000) + "?ref=home&utm_source=news",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
                    payload.toString());
        }

        byte[] json() {
            StringBuilder sb = new StringBuilder(1700);
            sb.append("{\"id\":").append(id).append(",\"ts\":\"").append(TS.format(Instant.ofEpochMilli(ts)))
                    .append("\",\"user_id\":").append(userId)
                    .append(",\"session\":\"").append(session).append("\",\"event\":\"").append(event)
                    .append("\",\"country\":\"").append(country).append("\",\"amount\":").append(amount)
                    .append(",\"tags\":[");
            for (int i = 0; i < tags.size(); i++) {
                sb.append(i == 0 ? "\"" : ",\"").append(tags.get(i)).append('"');
            }
            sb.append("],\"url\":\"").append(url).append("\",\"user_agent\":\"").append(userAgent)
                    .append("\",\"payload\":\"").append(payload).append("\"}");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        byte[] avro(Schema schema) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("id", id);
            r.put("ts", ts);
            r.put("user_id", userId);
            r.put("session", session);
            r.put("event", event);
            r.put("country", country);
            r.put("amount", amount);
            r.put("tags", tags);
            r.put("url", url);
            r.put("user_agent", userAgent);
            r.put("payload", payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream(1700);
            out.write(0);
            out.writeBytes(new byte[] {0, 0, 0, 1}); // schema id 1
            try {
                BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
                enc.flush();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    /** A ~150 B JSON event for the small-message pass, of the {@link #SMALL_COLUMNS} table. */
    private static byte[] smallJson(long id, Random rnd) {
        return ("{\"id\":" + id + ",\"ts\":\"" + TS.format(Instant.ofEpochMilli(1_714_521_600_000L + id * 7))
                + "\",\"user_id\":" + rnd.nextInt(1_000_000) + ",\"event\":\"" + EVENTS[rnd.nextInt(EVENTS.length)]
                + "\",\"country\":\"" + COUNTRIES[rnd.nextInt(COUNTRIES.length)] + "\",\"amount\":"
                + Math.round(rnd.nextDouble() * 100_000) / 100.0 + ",\"url\":\"/products/" + rnd.nextInt(100_000)
                + "?ref=home\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Produces the events; returns {total value bytes}. */
    private static long[] produce(KafkaLocal kafka, String topic, int messages, int partitions,
                                  java.util.function.BiFunction<Long, Random, byte[]> render) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(1 << 20));
        p.put("compression.type", "none");
        long bytes = 0;
        Random rnd = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                byte[] value = render.apply((long) i, rnd);
                bytes += value.length;
                pending.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, value)));
                if (pending.size() >= 10_000) {
                    for (Future<?> f : pending) {
                        f.get();
                    }
                    pending.clear();
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        }
        return new long[] {bytes};
    }

    /** A one-schema registry for the Avro pass: GET /schemas/ids/1 (the full client is tested elsewhere). */
    private static HttpServer registry(Schema schema, int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(schema.toString()));
        byte[] body = ("{\"schema\":\"" + quoted + "\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/schemas/ids/1", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
