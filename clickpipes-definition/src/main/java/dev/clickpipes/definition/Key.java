package dev.clickpipes.definition;

import java.util.List;

/**
 * One key of a definition section: its name (kebab-case, as in YAML), its type, the default that
 * applies when it is absent (the builder's own), and what it does. The reference page is written
 * from these declarations and the parser reads nothing that is not declared, so the two cannot drift.
 *
 * @param name         the key, e.g. {@code bootstrap-servers}
 * @param type         the kind of value
 * @param defaultValue the default as text, or null when the key is required
 * @param doc          one sentence on what it sets, naming the builder method it maps to
 * @param choices      for {@link KeyType#CHOICE}, the accepted words; else empty
 */
public record Key(String name, KeyType type, String defaultValue, String doc, List<String> choices) {

    /** Copies the choices. */
    public Key {
        choices = List.copyOf(choices);
    }

    /** True when the key has no default and must be given. */
    public boolean required() {
        return defaultValue == null;
    }
}
