package dev.clickpipes.definition;

import dev.clickpipes.clickhouse.routing.Router;
import dev.clickpipes.clickhouse.sink.ClickHouseSink;
import dev.clickpipes.core.Batching;
import dev.clickpipes.core.Delivery;
import dev.clickpipes.core.FieldMapping;
import dev.clickpipes.core.Pipe;
import dev.clickpipes.core.RetryPolicy;
import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Sink;
import dev.clickpipes.core.spi.Source;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A pipe declared as data: the nested map that YAML or properties give (source, decoder, sink,
 * mapping, batching, retry, delivery), read onto the pipe's builders one key to one builder
 * method. Every key is listed with its default in docs/pipe-definition.md, written from
 * {@link DefinitionSchema}.
 *
 * <pre>{@code
 * Map<String, Object> yaml = new Yaml().load(reader);              // {source: {...}, sink: {...}, ...}
 * PipeDefinition orders = PipeDefinition.parse("pipes.orders", "orders", yaml);
 * Pipe pipe = orders.newBuilder().build();                        // fresh source, decoder and sink
 * }</pre>
 *
 * <p>{@link #parse} reads and checks every key: a key no section declares, a value of the wrong
 * kind, a missing required key or an unreadable secret fails with a {@link DefinitionException}
 * naming the full key path. {@link #newBuilder} then runs the builders, whose own checks fail the
 * same way at the section's path. Secrets ({@code password}, {@code secret-access-key}) are given as
 * they are, as {@code ${ENV_VAR}} or as {@code file:/path}; {@link #describe()} and
 * {@link #toString()} show them as {@code ****}. Immutable.
 */
public final class PipeDefinition {

    private final String name;
    private final String path;
    private final Supplier<Source> source;
    private final Supplier<Decoder> decoder;
    private final boolean decoderFromSource;
    private final SinkDefinition sink;
    private final RoutingDefinition routing;
    private final FieldMapping mapping;
    private final Batching batching;
    private final RetryPolicy retry;
    private final Delivery delivery;
    private final Duration closeTimeout;
    private final ConfigNode root;

    private PipeDefinition(String name, String path, ConfigNode root, Map<String, Object> raw) {
        this.name = name;
        this.path = path;
        Object sourceValue = raw.get("source");
        boolean objectStore = "object-store".equals(ConfigNode.peekType(path + ".source", sourceValue));
        Object decoderValue = raw.get("decoder");
        if (decoderValue == null && !objectStore) {
            throw new DefinitionException(path + ".decoder", "is required: e.g. decoder: {type: json}; one of "
                    + List.of(DefinitionSchema.DECODER_TYPES));
        }
        this.decoder = decoderValue == null ? null : DecoderDefinition.parse(path + ".decoder", decoderValue, root);
        this.decoderFromSource = objectStore;
        if (sourceValue == null) {
            throw new DefinitionException(path + ".source", "is required: a section with a type, one of "
                    + List.of(DefinitionSchema.SOURCE_TYPES));
        }
        this.source = SourceDefinition.parse(path + ".source", sourceValue, root, objectStore ? decoder : null);
        ConfigNode sinkNode = root.section("sink", DefinitionSchema.SINK);
        if (sinkNode == null) {
            throw new DefinitionException(path + ".sink", "is required: at least endpoint and table");
        }
        this.routing = RoutingDefinition.parse(root.section("routing", DefinitionSchema.ROUTING));
        this.sink = SinkDefinition.parse(sinkNode, routing != null);
        this.mapping = mapping(root.section("mapping", DefinitionSchema.MAPPING));
        this.batching = batching(root.section("batching", DefinitionSchema.BATCHING));
        this.retry = retry(root.section("retry", DefinitionSchema.RETRY));
        String d = root.choice("delivery");
        this.delivery = d == null ? null : d.equals("exactly-once") ? Delivery.EXACTLY_ONCE : Delivery.AT_LEAST_ONCE;
        this.closeTimeout = root.duration("close-timeout");
        root.refuseUnknownKeys();
        this.root = root;
    }

    /**
     * Reads one pipe's definition, resolving {@code ${NAME}} from the process environment.
     *
     * @param path  the path of this map in the whole configuration, for messages ({@code clickpipes.pipes.orders})
     * @param name  the pipe's name ({@code Pipe.Builder.name})
     * @param value the pipe's section: a map of source, decoder, sink, ...
     * @throws DefinitionException naming the first wrong key
     */
    public static PipeDefinition parse(String path, String name, Map<String, ?> value) {
        return parse(path, name, value, System::getenv);
    }

    /** {@link #parse(String, String, Map)} resolving {@code ${NAME}} with this lookup (null = not set). */
    public static PipeDefinition parse(String path, String name, Map<String, ?> value, Function<String, String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        ConfigNode root = ConfigNode.root(path, value, DefinitionSchema.PIPE, new ValueResolver(lookup));
        Map<String, Object> raw = new LinkedHashMap<>();
        value.forEach((k, v) -> raw.put(String.valueOf(k), v));
        return new PipeDefinition(name, path, root, raw);
    }

    /**
     * Reads every pipe under one key ({@code clickpipes.pipes}): each entry's key is the pipe's name.
     *
     * @throws DefinitionException naming the first wrong key of the first wrong pipe
     */
    public static Map<String, PipeDefinition> parseAll(String path, Map<String, ?> pipes, Function<String, String> lookup) {
        Map<String, PipeDefinition> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : pipes.entrySet()) {
            String pipePath = path + "." + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new DefinitionException(pipePath, "expected a pipe (a section with source, decoder, sink, ...), got '" + e.getValue() + "'");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> section = (Map<String, ?>) m;
            out.put(e.getKey(), parse(pipePath, e.getKey(), section, lookup));
        }
        return out;
    }

    /** The pipe's name. */
    public String name() {
        return name;
    }

    /** Where the definition sits in the configuration, e.g. {@code clickpipes.pipes.orders}. */
    public String keyPath() {
        return path;
    }

    /** A builder with a new source, decoder and sink from this definition; a pipe runs once, so each run takes a new one. */
    public Pipe.Builder newBuilder() {
        return newBuilder(sinkBuilder -> { });
    }

    /**
     * {@link #newBuilder()}, letting code change the sink's builder before it is built (an error
     * handler, or {@code .endpoint(null).transport(t)} for a transport of its own).
     */
    public Pipe.Builder newBuilder(Consumer<ClickHouseSink.Builder> sinkCustomizer) {
        PipeComponents parts = newComponents(sinkCustomizer);
        Pipe.Builder b = Pipe.builder().name(name).source(parts.source()).decoder(parts.decoder()).sink(parts.sink());
        if (mapping != null && routing == null) {
            b.mapping(mapping); // a router maps per target
        }
        if (batching != null) {
            b.batching(batching);
        }
        if (retry != null) {
            b.retry(retry);
        }
        if (delivery != null) {
            b.delivery(delivery);
        }
        if (closeTimeout != null) {
            b.closeTimeout(closeTimeout);
        }
        return b;
    }

    /**
     * A new source, decoder and sink from this definition, not yet opened, with the pipe's field
     * mapping, for code that drives them itself (a preview that decodes a few records and inserts
     * nothing). Closing the result closes the source and the sink. With {@code routing}, the
     * decoder and sink are a router's, the customizer changes every target's builder (the fallback
     * error table is reached at the sink's endpoint), and the mapping applies per target (the
     * result's is by name).
     */
    public PipeComponents newComponents(Consumer<ClickHouseSink.Builder> sinkCustomizer) {
        if (routing != null) {
            return routedComponents(sinkCustomizer);
        }
        ClickHouseSink.Builder sinkBuilder = sink.builder();
        sinkCustomizer.accept(sinkBuilder);
        Sink builtSink = SinkDefinition.build(path + ".sink", sinkBuilder);
        try {
            Source builtSource = source.get();
            return new PipeComponents(builtSource, decoderOf(builtSource), builtSink, mapping == null ? FieldMapping.byName() : mapping);
        } catch (RuntimeException e) {
            builtSink.close(); // the sink owns an HTTP client
            throw e;
        }
    }

    private PipeComponents routedComponents(Consumer<ClickHouseSink.Builder> sinkCustomizer) {
        Source builtSource = source.get();
        try {
            Router router = routing.newRouter(sink, () -> decoderOf(builtSource), mapping == null ? FieldMapping.byName() : mapping,
                    builtSource.virtualColumns(), sinkCustomizer);
            return new PipeComponents(builtSource, router.decoder(), router.sink(), FieldMapping.byName(), router);
        } catch (RuntimeException e) {
            try {
                builtSource.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private Decoder decoderOf(Source builtSource) {
        return decoderFromSource ? ObjectStoreSourceDefinition.decoderOf(builtSource) : decoder.get();
    }

    /** How records are routed to tables ({@code routed by JSON field `type` to [...]}), or null when the pipe has one table. */
    public String routing() {
        return routing == null ? null : routing.describe();
    }

    /** {@code newBuilder().build()}, with what {@code Pipe.Builder} refuses (the name) reported at this pipe's path. */
    public Pipe build() {
        Pipe.Builder b = newBuilder();
        return Parts.built(path, b::build).get();
    }

    /** The definition as read, one key a line in YAML form, secrets as {@code ****}. */
    public String describe() {
        StringBuilder out = new StringBuilder(name).append(":  # ").append(path).append('\n');
        render(root.shown(), "  ", out);
        return out.toString();
    }

    private static void render(Map<String, Object> map, String indent, StringBuilder out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                out.append(indent).append(e.getKey()).append(":\n");
                @SuppressWarnings("unchecked")
                Map<String, Object> inner = (Map<String, Object>) m;
                render(inner, indent + "  ", out);
            } else {
                out.append(indent).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
    }

    /** The name and what it moves; never a secret. */
    @Override
    public String toString() {
        Map<String, Object> shown = root.shown();
        Object src = shown.get("source") instanceof Map<?, ?> s ? s.get("type") : null;
        Object table = routing != null ? routing.describe() : shown.get("sink") instanceof Map<?, ?> s ? s.get("table") : null;
        return "PipeDefinition[" + name + ": " + src + " -> " + table + "]";
    }

    private static FieldMapping mapping(ConfigNode n) {
        if (n == null) {
            return null;
        }
        Map<String, String> fields = n.map("fields");
        Boolean caseInsensitive = n.bool("case-insensitive");
        n.refuseUnknownKeys();
        FieldMapping.Builder b = FieldMapping.builder();
        if (fields != null) {
            fields.forEach(b::map);
        }
        if (caseInsensitive != null) {
            b.caseInsensitive(caseInsensitive);
        }
        return b.build();
    }

    private static Batching batching(ConfigNode n) {
        if (n == null) {
            return null;
        }
        Integer rows = n.integer("max-rows");
        Long bytes = n.size("max-bytes");
        Duration age = n.duration("max-age");
        n.refuseUnknownKeys();
        return Parts.built(n.path(), () -> {
            Batching.Builder b = Batching.builder();
            if (rows != null) {
                b.maxRows(rows);
            }
            if (bytes != null) {
                b.maxBytes(bytes);
            }
            if (age != null) {
                b.maxAge(age);
            }
            return b.build();
        }).get();
    }

    private static RetryPolicy retry(ConfigNode n) {
        if (n == null) {
            return null;
        }
        Duration initial = n.duration("initial-backoff");
        Duration max = n.duration("max-backoff");
        Integer attempts = n.integer("max-attempts");
        n.refuseUnknownKeys();
        RetryPolicy d = RetryPolicy.defaults();
        return Parts.built(n.path(), () -> RetryPolicy.of(initial == null ? d.initialBackoff() : initial,
                max == null ? d.maxBackoff() : max, attempts == null ? d.maxAttempts() : attempts)).get();
    }
}
