package dev.clickpipes.source.objectstore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the source authenticates to the store. Immutable; {@link #toString()} never shows a secret.
 *
 * <ul>
 *   <li>{@link #defaultChain()} (the default): AWS's default credentials chain (environment, profile,
 *       container and instance roles) for S3; application-default credentials for gs:// URLs.</li>
 *   <li>{@link #anonymous()}: public buckets, unsigned requests.</li>
 *   <li>{@link #accessKey}: an access key id and secret (S3, and S3-compatible stores).</li>
 *   <li>{@link #hmac}: a GCS HMAC key; reads through GCS's S3-compatible XML API, as ClickPipes does.</li>
 *   <li>{@link #assumeRole}: an IAM role through STS, from base credentials.</li>
 *   <li>{@link #gcsServiceAccount}: a GCS service-account key file; reads through GCS's JSON API.</li>
 *   <li>{@link #azureSharedKey}: an Azure storage account's name and access key (Shared Key signing).</li>
 *   <li>{@link #azureSas}: an Azure shared access signature (account or container SAS) with list and read rights.</li>
 *   <li>{@link #azureConnectionString}: an Azure Storage connection string (account key or SAS, endpoints).</li>
 * </ul>
 */
public final class ObjectAuth {

    /** The kinds of credentials. */
    enum Kind { DEFAULT, ANONYMOUS, ACCESS_KEY, HMAC, ASSUME_ROLE, GCS_SERVICE_ACCOUNT, AZURE_SHARED_KEY, AZURE_SAS,
        AZURE_CONNECTION_STRING }

    final Kind kind;
    final String keyId;
    final String secret;
    final String roleArn;
    final String externalId;
    final ObjectAuth base;
    final Path keyFile;

    private ObjectAuth(Kind kind, String keyId, String secret, String roleArn, String externalId, ObjectAuth base,
                       Path keyFile) {
        this.kind = kind;
        this.keyId = keyId;
        this.secret = secret;
        this.roleArn = roleArn;
        this.externalId = externalId;
        this.base = base;
        this.keyFile = keyFile;
    }

    /** The provider's default credentials (AWS default chain; GCS application-default credentials). */
    public static ObjectAuth defaultChain() {
        return new ObjectAuth(Kind.DEFAULT, null, null, null, null, null, null);
    }

    /** No credentials: requests are unsigned, for public buckets. */
    public static ObjectAuth anonymous() {
        return new ObjectAuth(Kind.ANONYMOUS, null, null, null, null, null, null);
    }

    /** An access key id and its secret. */
    public static ObjectAuth accessKey(String accessKeyId, String secretAccessKey) {
        return new ObjectAuth(Kind.ACCESS_KEY, require(accessKeyId, "accessKeyId"),
                require(secretAccessKey, "secretAccessKey"), null, null, null, null);
    }

    /** A GCS HMAC key (Cloud Storage settings, Interoperability): read through GCS's XML API. */
    public static ObjectAuth hmac(String accessId, String secret) {
        return new ObjectAuth(Kind.HMAC, require(accessId, "accessId"), require(secret, "secret"), null, null, null, null);
    }

    /** An IAM role assumed through STS with the default chain's credentials. */
    public static ObjectAuth assumeRole(String roleArn) {
        return assumeRole(roleArn, null, defaultChain());
    }

    /**
     * An IAM role assumed through STS.
     *
     * @param roleArn    the role, {@code arn:aws:iam::123456789012:role/name}
     * @param externalId the external id the role's trust policy asks for, or null
     * @param base       the credentials that may assume the role
     */
    public static ObjectAuth assumeRole(String roleArn, String externalId, ObjectAuth base) {
        if (roleArn == null || !roleArn.startsWith("arn:")) {
            throw new IllegalArgumentException("ObjectAuth.assumeRole: roleArn must be an ARN like "
                    + "arn:aws:iam::123456789012:role/name, was " + (roleArn == null ? "null" : "'" + roleArn + "'"));
        }
        return new ObjectAuth(Kind.ASSUME_ROLE, null, null, roleArn, externalId, Objects.requireNonNull(base, "base"),
                null);
    }

    /** A GCS service-account JSON key file: read through GCS's JSON API. */
    public static ObjectAuth gcsServiceAccount(Path keyFile) {
        return new ObjectAuth(Kind.GCS_SERVICE_ACCOUNT, null, null, null, null, null,
                Objects.requireNonNull(keyFile, "keyFile"));
    }

    /**
     * An Azure storage account's name and one of its access keys (Access keys in the portal):
     * requests are signed with Shared Key. The account must be the one the URL names.
     */
    public static ObjectAuth azureSharedKey(String accountName, String accountKey) {
        return new ObjectAuth(Kind.AZURE_SHARED_KEY, require(accountName, "accountName"), require(accountKey, "accountKey"),
                null, null, null, null);
    }

    /**
     * An Azure shared access signature, the query string the portal or {@code az storage container
     * generate-sas} gives ({@code sv=...&sig=...}, with or without the leading {@code ?}); it needs the
     * list and read permissions ({@code sp=rl}) on the container.
     */
    public static ObjectAuth azureSas(String sasToken) {
        String token = require(sasToken, "sasToken").strip();
        token = token.startsWith("?") ? token.substring(1) : token;
        if (!token.contains("sig=")) {
            throw new IllegalArgumentException("ObjectAuth.azureSas: the token has no sig= parameter; give the whole "
                    + "query string of the SAS (sv=...&sp=rl&...&sig=...)");
        }
        return new ObjectAuth(Kind.AZURE_SAS, null, token, null, null, null, null);
    }

    /**
     * An Azure Storage connection string ({@code DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;
     * EndpointSuffix=core.windows.net}, or with {@code SharedAccessSignature=...}, {@code BlobEndpoint=...},
     * or {@code UseDevelopmentStorage=true} for Azurite's default account). Its {@code BlobEndpoint}
     * overrides the URL's endpoint.
     */
    public static ObjectAuth azureConnectionString(String connectionString) {
        String cs = require(connectionString, "connectionString");
        String account = dev.clickpipes.source.objectstore.azure.AzureConnectionString.parse(cs).accountName();
        return new ObjectAuth(Kind.AZURE_CONNECTION_STRING, account, cs, null, null, null, null);
    }

    /** True for the Azure kinds (so an http URL of an emulator is read as Azure's path-style). */
    boolean azure() {
        return kind == Kind.AZURE_SHARED_KEY || kind == Kind.AZURE_SAS || kind == Kind.AZURE_CONNECTION_STRING;
    }

    /** True when these credentials sign S3-style (so gs:// goes through the XML API). */
    boolean s3Style() {
        return kind == Kind.ACCESS_KEY || kind == Kind.HMAC || kind == Kind.ASSUME_ROLE;
    }

    private static String require(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("ObjectAuth: " + name + " is empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default credentials";
            case ANONYMOUS -> "anonymous";
            case ACCESS_KEY -> "access key " + keyId;
            case HMAC -> "HMAC key " + keyId;
            case ASSUME_ROLE -> "role " + roleArn + " assumed with " + base;
            case GCS_SERVICE_ACCOUNT -> "service account key " + keyFile.getFileName();
            case AZURE_SHARED_KEY -> "Azure shared key of account " + keyId;
            case AZURE_SAS -> "Azure SAS token";
            case AZURE_CONNECTION_STRING -> "Azure connection string" + (keyId == null ? "" : " of account " + keyId);
        };
    }
}
