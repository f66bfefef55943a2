package dev.clickpipes.cli;

/** A pipes file that cannot be read: missing, not YAML, or not shaped as {@code pipes: {name: {...}}}. */
final class PipesFileException extends RuntimeException {

    PipesFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
