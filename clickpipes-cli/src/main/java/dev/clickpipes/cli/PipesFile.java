package dev.clickpipes.cli;

import dev.clickpipes.definition.DefinitionException;
import dev.clickpipes.definition.PipeDefinition;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A pipes file: YAML whose {@code pipes} key holds one section per pipe, keyed by the pipe's name,
 * each as {@code docs/pipe-definition.md} lists. A Spring Boot {@code application.yml} works too:
 * its pipes sit under {@code clickpipes.pipes}. Read with SnakeYAML's safe constructor (no types
 * from the file).
 */
final class PipesFile {

    private final Path file;
    private final String path;
    private final Map<String, Map<String, Object>> pipes;

    private PipesFile(Path file, String path, Map<String, Map<String, Object>> pipes) {
        this.file = file;
        this.path = path;
        this.pipes = pipes;
    }

    /** Reads the file; it must hold at least one pipe. */
    static PipesFile read(Path file) {
        Object doc;
        try (Reader in = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new PipesFileException("cannot read " + file + ": " + e, e);
        } catch (YAMLException e) {
            throw new PipesFileException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        String path = "pipes";
        Object pipes = doc instanceof Map<?, ?> m ? m.get("pipes") : null;
        if (pipes == null && doc instanceof Map<?, ?> m && m.get("clickpipes") instanceof Map<?, ?> app) {
            path = "clickpipes.pipes";
            pipes = app.get("pipes");
        }
        if (!(pipes instanceof Map<?, ?> sections) || sections.isEmpty()) {
            throw new PipesFileException(file + ": expected a key `pipes` holding one section per pipe, e.g.\n"
                    + "pipes:\n  orders:\n    source: {type: kafka, ...}\n    decoder: {type: json}\n    sink: {...}", null);
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : sections.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> section)) {
                throw new PipesFileException(file + ": " + path + "." + e.getKey() + ": expected a pipe (a section with"
                        + " source, decoder, sink, ...), got '" + e.getValue() + "'", null);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            section.forEach((k, v) -> copy.put(String.valueOf(k), v));
            out.put(String.valueOf(e.getKey()), copy);
        }
        return new PipesFile(file, path, out);
    }

    /** Only these pipes (all when the list is empty or null), in the file's order. */
    PipesFile only(List<String> names) {
        if (names == null || names.isEmpty()) {
            return this;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String name : pipes.keySet()) {
            if (names.contains(name)) {
                out.put(name, pipes.get(name));
            }
        }
        for (String name : names) {
            if (!pipes.containsKey(name)) {
                throw new PipesFileException(file + " has no pipe '" + name + "'; it has " + pipes.keySet(), null);
            }
        }
        return new PipesFile(file, path, out);
    }

    /**
     * Every pipe's definition, each section (a copy) first passed through {@code adjust} with
     * the pipe's name (the check's own consumer group, say), {@code ${NAME}} resolved with {@code env}.
     *
     * @throws PipesFileException naming the file and the first wrong key
     */
    Map<String, PipeDefinition> definitions(BiFunction<String, Map<String, Object>, Map<String, Object>> adjust,
            Function<String, String> env) {
        Map<String, PipeDefinition> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : pipes.entrySet()) {
            try {
                out.put(e.getKey(), PipeDefinition.parse(path + "." + e.getKey(), e.getKey(),
                        adjust.apply(e.getKey(), new LinkedHashMap<>(e.getValue())), env));
            } catch (DefinitionException ex) {
                throw new PipesFileException(file + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The file, for messages. */
    Path file() {
        return file;
    }
}
