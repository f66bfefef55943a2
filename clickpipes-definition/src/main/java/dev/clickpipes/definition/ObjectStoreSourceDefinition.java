package dev.clickpipes.definition;

import dev.clickpipes.core.spi.Decoder;
import dev.clickpipes.core.spi.Source;
import dev.clickpipes.source.objectstore.Compression;
import dev.clickpipes.source.objectstore.Coordination;
import dev.clickpipes.source.objectstore.ObjectAuth;
import dev.clickpipes.source.objectstore.ObjectFormat;
import dev.clickpipes.source.objectstore.ObjectStoreSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads a {@code source} of type {@code object-store} onto {@link ObjectStoreSource.Builder}. Loaded
 * only for that type. The pipe's decoder is the source's own ({@link ObjectStoreSource#decoder()}).
 */
final class ObjectStoreSourceDefinition {

    private ObjectStoreSourceDefinition() {
    }

    static Supplier<Source> parse(ConfigNode n, Supplier<Decoder> lineDecoder) {
        String url = n.string("url");
        String endpoint = n.string("endpoint");
        String region = n.string("region");
        Boolean pathStyle = n.bool("path-style");
        Boolean checksums = n.bool("checksums-when-required");
        String format = n.choice("format");
        String compression = n.choice("compression");
        Integer headerLines = n.integer("header-lines");
        Long maxObjectSize = n.size("max-object-size");
        Long maxRecordBytes = n.size("max-record-bytes");
        String mode = n.choice("mode");
        Duration interval = n.duration("interval");
        String ordering = n.choice("ordering");
        String workerId = n.string("worker-id");
        Coordination coordination = coordination(n.section("coordination", DefinitionSchema.COORDINATION));
        Boolean reload = n.bool("reload-rewritten-objects");
        Integer claimBatch = n.integer("claim-batch");
        ObjectAuth auth = auth(n.section("auth", DefinitionSchema.AUTH));
        n.refuseUnknownKeys();
        boolean continuous = "continuous".equals(mode);
        if (continuous && interval == null) {
            throw new DefinitionException(n.pathOf("interval"), "is required with mode: continuous (how often to list again, e.g. 30s)");
        }
        if (!continuous && (interval != null || ordering != null)) {
            throw new DefinitionException(n.pathOf(interval != null ? "interval" : "ordering"), "applies to mode: continuous only");
        }
        if ("protobuf-delimited".equals(format) && lineDecoder == null) {
            throw new DefinitionException(n.pathOf("format"), "protobuf-delimited needs the messages' type: add"
                    + " decoder: {type: protobuf, descriptor-set: /path/shop.desc, message-type: shop.Order} to the pipe");
        }
        if (maxRecordBytes != null && maxRecordBytes > Integer.MAX_VALUE) {
            throw new DefinitionException(n.pathOf("max-record-bytes"), "must be at most 1GiB, was " + maxRecordBytes);
        }
        return Parts.built(n.path(), () -> {
            ObjectStoreSource.Builder b = ObjectStoreSource.builder().url(url);
            if (endpoint != null) {
                b.endpoint(endpoint);
            }
            if (region != null) {
                b.region(region);
            }
            if (pathStyle != null) {
                b.pathStyle(pathStyle);
            }
            if (checksums != null) {
                b.checksumsWhenRequired(checksums);
            }
            if (format != null) {
                b.format(ObjectFormat.valueOf(format.toUpperCase(Locale.ROOT).replace('-', '_')));
            }
            if (compression != null) {
                b.compression(Compression.valueOf(compression.toUpperCase(Locale.ROOT)));
            }
            if (headerLines != null) {
                b.headerLines(headerLines);
            }
            if (maxObjectSize != null) {
                b.maxObjectSize(maxObjectSize);
            }
            if (maxRecordBytes != null) {
                b.maxRecordBytes(maxRecordBytes.intValue());
            }
            if (continuous) {
                b.continuous(interval, "any".equals(ordering) ? ObjectStoreSource.Ordering.ANY : ObjectStoreSource.Ordering.LEXICAL);
            }
            if (workerId != null) {
                b.workerId(workerId);
            }
            if (coordination != null) {
                b.coordination(coordination);
            }
            if (reload != null) {
                b.reloadRewrittenObjects(reload);
            }
            if (claimBatch != null) {
                b.claimBatch(claimBatch);
            }
            if (auth != null) {
                b.auth(auth);
            }
            if (lineDecoder != null) {
                b.decoder(lineDecoder.get());
            }
            return b.build();
        });
    }

    /** The decoder the pipe is given: the source's own. */
    static Decoder decoderOf(Source source) {
        return ((ObjectStoreSource) source).decoder();
    }

    private static Coordination coordination(ConfigNode c) {
        if (c == null) {
            return null;
        }
        String type = c.choice("type");
        Integer index = c.integer("index");
        Integer count = c.integer("count");
        c.refuseUnknownKeys();
        if ("static-share".equals(type)) {
            if (index == null || count == null) {
                throw new DefinitionException(c.pathOf(index == null ? "index" : "count"), "is required with type: static-share");
            }
            try {
                return Coordination.staticShare(index, count);
            } catch (IllegalArgumentException e) {
                throw new DefinitionException(c.path(), e.getMessage(), e);
            }
        }
        if (index != null || count != null) {
            throw new DefinitionException(c.pathOf(index != null ? "index" : "count"), "applies to type: static-share only");
        }
        return Coordination.singleWorker();
    }

    /** Azure credentials whose text is refused (a token without sig=, a malformed string) fail at their key. */
    private static ObjectAuth azure(ConfigNode a, String key, java.util.function.Supplier<ObjectAuth> auth) {
        try {
            return auth.get();
        } catch (IllegalArgumentException e) {
            throw new DefinitionException(a.pathOf(key), e.getMessage(), e); // the messages name no secret
        }
    }

    private static ObjectAuth auth(ConfigNode a) {
        if (a == null) {
            return null;
        }
        String type = a.choice("type");
        String keyId = a.string("access-key-id");
        String secret = a.secret("secret-access-key");
        String roleArn = a.string("role-arn");
        String externalId = a.string("external-id");
        String keyFile = a.string("key-file");
        String accountName = a.string("account-name");
        String accountKey = a.secret("account-key");
        String sasToken = a.secret("sas-token");
        String connectionString = a.secret("connection-string");
        a.refuseUnknownKeys();
        String t = type == null ? "default-chain" : type;
        switch (t) {
            case "access-key", "hmac" -> {
                if (keyId == null || secret == null) {
                    throw new DefinitionException(a.pathOf(keyId == null ? "access-key-id" : "secret-access-key"), "is required with type: " + t);
                }
                return t.equals("hmac") ? ObjectAuth.hmac(keyId, secret) : ObjectAuth.accessKey(keyId, secret);
            }
            case "assume-role" -> {
                if (roleArn == null) {
                    throw new DefinitionException(a.pathOf("role-arn"), "is required with type: assume-role");
                }
                return externalId == null ? ObjectAuth.assumeRole(roleArn)
                        : ObjectAuth.assumeRole(roleArn, externalId, ObjectAuth.defaultChain());
            }
            case "gcs-service-account" -> {
                if (keyFile == null) {
                    throw new DefinitionException(a.pathOf("key-file"), "is required with type: gcs-service-account");
                }
                return ObjectAuth.gcsServiceAccount(Path.of(keyFile));
            }
            case "azure-shared-key" -> {
                if (accountName == null || accountKey == null) {
                    throw new DefinitionException(a.pathOf(accountName == null ? "account-name" : "account-key"),
                            "is required with type: azure-shared-key");
                }
                return ObjectAuth.azureSharedKey(accountName, accountKey);
            }
            case "azure-sas" -> {
                if (sasToken == null) {
                    throw new DefinitionException(a.pathOf("sas-token"), "is required with type: azure-sas");
                }
                return azure(a, "sas-token", () -> ObjectAuth.azureSas(sasToken));
            }
            case "azure-connection-string" -> {
                if (connectionString == null) {
                    throw new DefinitionException(a.pathOf("connection-string"), "is required with type: azure-connection-string");
                }
                return azure(a, "connection-string", () -> ObjectAuth.azureConnectionString(connectionString));
            }
            case "anonymous" -> {
                return ObjectAuth.anonymous();
            }
            default -> {
                return ObjectAuth.defaultChain();
            }
        }
    }
}
