package dev.clickpipes.definition;

/** The kinds of value a definition key takes, each with the forms it accepts (shown in the reference page). */
public enum KeyType {
    /** Any text. */
    STRING("text"),
    /** Text that is never printed: literal, {@code ${ENV_VAR}} or {@code file:/path} (the file's content, trailing newline cut). */
    SECRET("literal, `${ENV_VAR}` or `file:/path`; never printed"),
    /** A whole number that fits an int. */
    INT("integer"),
    /** A whole number that fits a long. */
    LONG("integer"),
    /** A byte count: {@code 20000000}, {@code 20MB} (10^6), {@code 16MiB} (2^20), KB/KiB, GB/GiB. */
    SIZE("`20000000`, `20MB`, `16MiB`, `512KB`, `1GiB`"),
    /** {@code true} or {@code false}. */
    BOOLEAN("`true` or `false`"),
    /** A duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d} or ISO-8601 {@code PT5S}. */
    DURATION("`500ms`, `5s`, `2m`, `1h`, `7d` or ISO-8601 `PT5S`"),
    /** One of a fixed set of words (listed with the key). */
    CHOICE("one of"),
    /** A list of text: a YAML list or one comma-separated string. */
    LIST("list of text (a YAML list or `a,b,c`)"),
    /** Free-form pairs of text, passed on as they are. */
    MAP("map of text to text"),
    /** A nested section, described under its own heading. */
    SECTION("section");

    private final String forms;

    KeyType(String forms) {
        this.forms = forms;
    }

    /** What a value of this type looks like, for the reference page. */
    public String forms() {
        return forms;
    }
}
