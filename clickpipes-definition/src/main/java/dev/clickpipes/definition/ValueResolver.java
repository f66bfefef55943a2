package dev.clickpipes.definition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:fallback}} in any text value from a lookup (the process
 * environment by default; the Spring starter gives the application's environment), and for secret
 * keys also {@code file:/path} (the file's content without its trailing newline, as Docker and
 * Kubernetes secrets are mounted).
 */
final class ValueResolver {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private final Function<String, String> lookup;

    ValueResolver(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    String text(String keyPath, String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).strip();
            String found = lookup.apply(name);
            if (found == null) {
                found = m.group(2);
            }
            if (found == null) {
                throw new DefinitionException(keyPath, "${" + name + "} is not set (an environment variable or property);"
                        + " set it, or give a fallback as ${" + name + ":value}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(found));
        }
        m.appendTail(out);
        return out.toString();
    }

    String secret(String keyPath, String value) {
        if (value.startsWith("file:")) {
            Path path = Path.of(text(keyPath, value.substring("file:".length())));
            try {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                return content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
                        : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            } catch (IOException e) {
                throw new DefinitionException(keyPath, "cannot read the secret file " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return text(keyPath, value);
    }
}
