package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Source;
import dev.clickpipes.source.kafka.KafkaSource;
import dev.clickpipes.source.kafka.Sasl;
import dev.clickpipes.source.kafka.StartPosition;
import dev.clickpipes.source.kafka.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a {@code source} of type {@code kafka} onto {@link KafkaSource.Builder}. Loaded only for that type. */
final class KafkaSourceDefinition {

    private KafkaSourceDefinition() {
    }

    static Supplier<Source> parse(ConfigNode n) {
        String servers = n.string("bootstrap-servers");
        List<String> topics = n.list("topics");
        String patternText = n.string("topic-pattern");
        Pattern pattern = null;
        if (patternText != null) {
            try {
                pattern = Pattern.compile(patternText);
            } catch (PatternSyntaxException e) {
                throw new DefinitionException(n.pathOf("topic-pattern"), "is not a regular expression: " + e.getDescription());
            }
        }
        String groupId = n.string("group-id");
        StartPosition start = startFrom(n);
        Boolean readCommitted = n.bool("read-committed");
        Duration commitTimeout = n.duration("commit-timeout");
        Sasl sasl = sasl(n.section("sasl", DefinitionSchema.SASL));
        Tls tls = tls(n.section("tls", DefinitionSchema.TLS));
        Map<String, String> properties = n.map("properties");
        n.refuseUnknownKeys();
        Pattern topicPattern = pattern;
        return Parts.built(n.path(), () -> {
            KafkaSource.Builder b = KafkaSource.builder().bootstrapServers(servers);
            if (topics != null) {
                b.topics(topics);
            }
            if (topicPattern != null) {
                b.topicPattern(topicPattern);
            }
            if (groupId != null) {
                b.groupId(groupId);
            }
            if (start != null) {
                b.startFrom(start);
            }
            if (readCommitted != null) {
                b.readCommitted(readCommitted);
            }
            if (commitTimeout != null) {
                b.commitTimeout(commitTimeout);
            }
            if (sasl != null) {
                b.sasl(sasl);
            }
            if (tls != null) {
                b.tls(tls);
            }
            if (properties != null) {
                try {
                    b.properties(properties);
                } catch (IllegalArgumentException e) {
                    throw new DefinitionException(n.pathOf("properties"), e.getMessage(), e);
                }
            }
            return b.build();
        });
    }

    private static StartPosition startFrom(ConfigNode n) {
        String s = n.string("start-from");
        if (s == null) {
            return null;
        }
        switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "earliest":
                return StartPosition.earliest();
            case "latest":
                return StartPosition.latest();
            default:
                try {
                    return StartPosition.timestamp(Instant.parse(s.strip()));
                } catch (DateTimeParseException e) {
                    throw new DefinitionException(n.pathOf("start-from"),
                            "expected earliest, latest or an ISO-8601 instant such as 2026-01-31T00:00:00Z, got '" + s + "'");
                }
        }
    }

    private static Sasl sasl(ConfigNode s) {
        if (s == null) {
            return null;
        }
        String mechanism = s.choice("mechanism");
        String user = s.string("username");
        String password = s.secret("password");
        String profile = s.string("profile");
        s.refuseUnknownKeys();
        if (mechanism.equals("aws-msk-iam")) {
            if (user != null || password != null) {
                throw new DefinitionException(s.pathOf(user != null ? "username" : "password"),
                        "aws-msk-iam takes no user or password (it signs with AWS credentials)");
            }
            return profile == null ? Sasl.awsMskIam() : Sasl.awsMskIamProfile(profile);
        }
        if (profile != null) {
            throw new DefinitionException(s.pathOf("profile"), "applies to mechanism aws-msk-iam only");
        }
        if (user == null || password == null) {
            throw new DefinitionException(s.pathOf(user == null ? "username" : "password"), "is required for mechanism " + mechanism);
        }
        return switch (mechanism) {
            case "plain" -> Sasl.plain(user, password);
            case "scram-sha-256" -> Sasl.scramSha256(user, password);
            default -> Sasl.scramSha512(user, password);
        };
    }

    private static Tls tls(ConfigNode t) {
        if (t == null) {
            return null;
        }
        Boolean enabled = t.bool("enabled");
        String ca = t.string("ca-pem-file");
        t.refuseUnknownKeys();
        if (Boolean.FALSE.equals(enabled)) {
            return null;
        }
        return ca == null ? Tls.system() : Tls.caPem(Path.of(ca));
    }
}
