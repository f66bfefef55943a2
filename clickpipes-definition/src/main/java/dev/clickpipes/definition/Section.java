package dev.clickpipes.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of keys under one path element ({@code sink}, {@code source} of type {@code kafka},
 * {@code batching}, ...), with the sections nested in it and the keys it refuses on purpose
 * (settings the builders have that a definition does not carry, each with what to do instead).
 * Immutable once built.
 */
public final class Section {

    private final String title;
    private final String doc;
    private final Map<String, Key> keys;
    private final Map<String, String> refused;

    private Section(Builder b) {
        this.title = b.title;
        this.doc = b.doc;
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(b.keys));
        this.refused = Collections.unmodifiableMap(new LinkedHashMap<>(b.refused));
    }

    static Builder builder(String title, String doc) {
        return new Builder(title, doc);
    }

    /** The section's heading in the reference page, e.g. {@code source (type: kafka)}. */
    public String title() {
        return title;
    }

    /** What the section builds. */
    public String doc() {
        return doc;
    }

    /** The keys, in declaration order; a nested section is a key of type {@link KeyType#SECTION}. */
    public Map<String, Key> keys() {
        return keys;
    }

    /** Keys refused by name, each with the reason and what to use instead. */
    public Map<String, String> refused() {
        return refused;
    }

    /** The declared key, or throws: the parser asking for an undeclared key is a bug in this module. */
    Key key(String name) {
        Key k = keys.get(name);
        if (k == null) {
            throw new IllegalStateException("section '" + title + "' declares no key '" + name + "'");
        }
        return k;
    }

    /** Builds a {@link Section}. */
    static final class Builder {
        private final String title;
        private final String doc;
        private final Map<String, Key> keys = new LinkedHashMap<>();
        private final Map<String, String> refused = new LinkedHashMap<>();

        private Builder(String title, String doc) {
            this.title = title;
            this.doc = doc;
        }

        Builder key(String name, KeyType type, String defaultValue, String doc) {
            keys.put(name, new Key(name, type, defaultValue, doc, List.of()));
            return this;
        }

        Builder choice(String name, String defaultValue, String doc, String... choices) {
            keys.put(name, new Key(name, KeyType.CHOICE, defaultValue, doc, new ArrayList<>(List.of(choices))));
            return this;
        }

        /** A key naming a nested section (its keys are listed under that section's own heading). */
        Builder section(String name, String doc) {
            keys.put(name, new Key(name, KeyType.SECTION, "", doc, List.of()));
            return this;
        }

        Builder refuse(String name, String reason) {
            refused.put(name, reason);
            return this;
        }

        Section build() {
            return new Section(this);
        }
    }
}
