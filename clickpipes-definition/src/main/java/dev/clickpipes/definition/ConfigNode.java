package dev.clickpipes.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of a definition as given (a nested map), read through its declared {@link Section}:
 * every value is converted to its key's type or fails naming the full key path, and
 * {@link #refuseUnknownKeys()} fails on any key the section does not declare. What was read is kept,
 * secrets masked, for {@link PipeDefinition#describe()}.
 */
final class ConfigNode {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?");
    static final String MASK = "****";

    private final String path;
    private final Map<String, Object> raw;
    private final Section section;
    private final ValueResolver resolver;
    private final Map<String, Object> shown = new LinkedHashMap<>();

    private ConfigNode(String path, Map<String, Object> raw, Section section, ValueResolver resolver) {
        this.path = path;
        this.raw = raw;
        this.section = section;
        this.resolver = resolver;
    }

    static ConfigNode root(String path, Object value, Section section, ValueResolver resolver) {
        return new ConfigNode(path, asMap(path, value, section), section, resolver);
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path + "." + key;
    }

    /** The masked view of what was read, for describe(), in the section's declaration order. */
    Map<String, Object> shown() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : section.keys().keySet()) {
            Object v = shown.get(key);
            if (v != null) {
                ordered.put(key, v instanceof ConfigNode child ? child.shown() : v);
            }
        }
        return ordered;
    }

    boolean has(String key) {
        return raw.containsKey(key) && raw.get(key) != null;
    }

    /** The raw {@code type} of a section whose keys depend on it, before its Section is known. */
    static String peekType(String path, Object value) {
        if (!(value instanceof Map<?, ?> m) || m.get("type") == null) {
            return null;
        }
        return String.valueOf(m.get("type")).strip().toLowerCase(Locale.ROOT);
    }

    String string(String key) {
        Key k = declared(key, KeyType.STRING, KeyType.CHOICE);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new DefinitionException(pathOf(key), "expected " + k.type().forms() + ", got a " + (v instanceof Map ? "section" : "list"));
        }
        String s = resolver.text(pathOf(key), String.valueOf(v));
        shown.put(key, s);
        return s;
    }

    String secret(String key) {
        Key k = declared(key, KeyType.SECRET);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        String given = String.valueOf(v);
        String s = resolver.secret(pathOf(key), given);
        // Where it came from may be shown (a variable's or a file's name), never what it is.
        shown.put(key, given.startsWith("file:") || given.contains("${") ? MASK + " (from " + given + ")" : MASK);
        return s;
    }

    String choice(String key) {
        Key k = declared(key, KeyType.CHOICE);
        String s = string(key);
        if (s == null) {
            return null;
        }
        String word = s.strip().toLowerCase(Locale.ROOT);
        if (!k.choices().contains(word)) {
            throw new DefinitionException(pathOf(key), "expected one of " + k.choices() + ", got '" + s + "'");
        }
        shown.put(key, word);
        return word;
    }

    Integer integer(String key) {
        Long l = number(key, KeyType.INT);
        if (l == null) {
            return null;
        }
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new DefinitionException(pathOf(key), "expected an integer up to " + Integer.MAX_VALUE + ", got " + l);
        }
        return l.intValue();
    }

    Long longValue(String key) {
        return number(key, KeyType.LONG);
    }

    private Long number(String key, KeyType type) {
        Key k = declared(key, type);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        String s = resolver.text(pathOf(key), String.valueOf(v)).strip().replace("_", "");
        try {
            long l = Long.parseLong(s);
            shown.put(key, l);
            return l;
        } catch (NumberFormatException e) {
            throw new DefinitionException(pathOf(key), "expected " + type.forms() + ", got '" + s + "'");
        }
    }

    Long size(String key) {
        Key k = declared(key, KeyType.SIZE);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        String s = resolver.text(pathOf(key), String.valueOf(v)).strip().replace("_", "");
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new DefinitionException(pathOf(key), "expected a byte size: " + KeyType.SIZE.forms() + ", got '" + s + "'");
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L;
        };
        try {
            long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            shown.put(key, s);
            return bytes;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new DefinitionException(pathOf(key), "is too large: '" + s + "'");
        }
    }

    Boolean bool(String key) {
        Key k = declared(key, KeyType.BOOLEAN);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        String s = resolver.text(pathOf(key), String.valueOf(v)).strip().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new DefinitionException(pathOf(key), "expected true or false, got '" + s + "'");
        }
        shown.put(key, Boolean.parseBoolean(s));
        return Boolean.parseBoolean(s);
    }

    Duration duration(String key) {
        Key k = declared(key, KeyType.DURATION);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        String s = resolver.text(pathOf(key), String.valueOf(v)).strip();
        Duration d = DurationText.parseOrNull(s);
        if (d == null) {
            throw new DefinitionException(pathOf(key), "expected a duration: " + KeyType.DURATION.forms() + ", got '" + s + "'");
        }
        shown.put(key, s);
        return d;
    }

    List<String> list(String key) {
        return list(key, ",");
    }

    /** Records: a YAML list, or one text holding one record per line (records hold commas). */
    List<String> records(String key) {
        List<String> records = list(key, "\\R");
        if (records != null) {
            shown.put(key, records.size() + " records");
        }
        return records;
    }

    private List<String> list(String key, String separator) {
        Key k = declared(key, KeyType.LIST);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(resolver.text(pathOf(key), String.valueOf(o)).strip());
            }
        } else if (v instanceof Map<?, ?> m && indexed(m)) {
            // Spring binds a YAML list into a Map<String, Object> as {"0": .., "1": ..}.
            new TreeMap<>(indexMap(m)).values().forEach(o -> out.add(resolver.text(pathOf(key), String.valueOf(o)).strip()));
        } else if (v instanceof Map) {
            throw new DefinitionException(pathOf(key), "expected " + KeyType.LIST.forms() + ", got a section");
        } else {
            for (String part : resolver.text(pathOf(key), String.valueOf(v)).split(separator)) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        shown.put(key, List.copyOf(out));
        return out;
    }

    Map<String, String> map(String key) {
        Key k = declared(key, KeyType.MAP);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new DefinitionException(pathOf(key), "expected " + KeyType.MAP.forms() + " (a section of name: value), got '" + v + "'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", m, out, pathOf(key));
        shown.put(key, new LinkedHashMap<>(out));
        return out;
    }

    /** Spring splits {@code max.poll.records: 10} into nested maps; the keys are joined back with dots. */
    private void flatten(String prefix, Map<?, ?> m, Map<String, String> out, String keyPath) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(name + ".", inner, out, keyPath);
            } else if (e.getValue() instanceof java.util.Collection<?>) {
                // a YAML list would become the text "[a, b]": no map of ours takes a list as a value
                throw new DefinitionException(keyPath + "." + name, "expected one value, got a list");
            } else if (e.getValue() != null) {
                out.put(name, resolver.text(keyPath + "." + name, String.valueOf(e.getValue())));
            }
        }
    }

    /** A nested section, or null when absent. */
    ConfigNode section(String key, Section nested) {
        Key k = declared(key, KeyType.SECTION);
        Object v = value(k);
        if (v == null) {
            return null;
        }
        ConfigNode child = new ConfigNode(pathOf(key), asMap(pathOf(key), v, nested), nested, resolver);
        shown.put(key, child);
        return child;
    }

    /** Fails on the first key present that the section does not declare, naming the keys it does. */
    void refuseUnknownKeys() {
        for (String given : raw.keySet()) {
            if (section.keys().containsKey(given)) {
                continue;
            }
            String reason = section.refused().get(given);
            if (reason != null) {
                throw new DefinitionException(pathOf(given), "is not supported by a definition: " + reason);
            }
            String near = nearest(given);
            throw new DefinitionException(pathOf(given), "unknown key" + (near == null ? "" : "; did you mean '" + near + "'?")
                    + " " + section.title() + " takes " + String.join(", ", section.keys().keySet()));
        }
    }

    private String nearest(String given) {
        String g = squash(given);
        for (String k : section.keys().keySet()) {
            if (squash(k).equals(g)) {
                return k;
            }
        }
        return null;
    }

    private static String squash(String s) {
        return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private Key declared(String key, KeyType... types) {
        Key k = section.key(key);
        for (KeyType t : types) {
            if (k.type() == t) {
                return k;
            }
        }
        throw new IllegalStateException(section.title() + "." + key + " is declared as " + k.type());
    }

    private Object value(Key k) {
        Object v = raw.get(k.name());
        if (v == null && k.required()) {
            throw new DefinitionException(pathOf(k.name()), "is required: " + k.doc());
        }
        if (v instanceof String s && s.isEmpty() && k.required()) {
            throw new DefinitionException(pathOf(k.name()), "is required and empty: " + k.doc());
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String path, Object value, Section section) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        throw new DefinitionException(path, "expected a section (" + section.title() + ") with keys "
                + String.join(", ", section.keys().keySet()) + ", got " + (value == null ? "nothing" : "'" + value + "'"));
    }

    private static boolean indexed(Map<?, ?> m) {
        return !m.isEmpty() && m.keySet().stream().allMatch(k -> String.valueOf(k).matches("\\[?\\d+]?"));
    }

    private static Map<Integer, Object> indexMap(Map<?, ?> m) {
        Map<Integer, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(Integer.parseInt(String.valueOf(k).replace("[", "").replace("]", "")), v));
        return out;
    }
}
