package dev.clickpipes.definition;

import java.util.function.Supplier;

/** Helpers shared by the section parsers. */
final class Parts {

    private Parts() {
    }

    /**
     * Runs a builder's {@code build()}; what it refuses is reported at the section's key path with
     * the builder's own message (which never holds a secret: the builders mask them).
     */
    static <T> Supplier<T> built(String path, Supplier<T> build) {
        return () -> {
            try {
                return build.get();
            } catch (DefinitionException e) {
                throw e;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new DefinitionException(path, e.getMessage(), e);
            }
        };
    }

    /** Fails naming the module to add when a definition names a source or format whose module is missing. */
    static void requireModule(String path, String className, String artifact) {
        try {
            Class.forName(className, false, Parts.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new DefinitionException(path, "needs dev.clickpipes:" + artifact + " on the class path");
        }
    }

    static char oneChar(String path, String value) {
        if (value.length() != 1) {
            throw new DefinitionException(path, "expected one character, got '" + value + "'");
        }
        return value.charAt(0);
    }
}
