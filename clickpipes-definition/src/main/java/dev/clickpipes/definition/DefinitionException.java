package dev.clickpipes.definition;

/**
 * A definition that cannot become a pipe: a wrong key or value, a missing required key, a secret
 * that cannot be read, or a builder refusing a setting. The message starts with the full key path
 * ({@code clickpipes.pipes.orders.sink.table}) and says what was expected; it never holds a secret.
 */
public final class DefinitionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String keyPath;

    DefinitionException(String keyPath, String message) {
        super(keyPath + ": " + message);
        this.keyPath = keyPath;
    }

    DefinitionException(String keyPath, String message, Throwable cause) {
        super(keyPath + ": " + message, cause);
        this.keyPath = keyPath;
    }

    /** The full path of the key (or section) at fault. */
    public String keyPath() {
        return keyPath;
    }
}
