package dev.clickpipes.source.kinesis;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * How the source authenticates to AWS (Kinesis, DynamoDB for the lease table, CloudWatch): the
 * SDK's default chain, static keys, or an IAM role assumed through STS with an external id, as
 * ClickPipes offers. Secrets never appear in {@link #toString()}, logs or error messages.
 */
public abstract class AwsAuth {

    /** The STS session name of an assumed role, as it shows in CloudTrail. */
    static final String SESSION_NAME = "clickpipes";

    private AwsAuth() {
    }

    /**
     * The SDK's default credential chain: system properties, environment variables, web identity
     * token, the shared profile files, container and instance credentials.
     */
    public static AwsAuth defaultChain() {
        return DefaultChain.INSTANCE;
    }

    /** An access key id and secret access key (a long-term IAM user key). */
    public static AwsAuth staticKeys(String accessKeyId, String secretAccessKey) {
        return new StaticKeys(accessKeyId, secretAccessKey, null);
    }

    /** Temporary keys with their session token. */
    public static AwsAuth staticKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new StaticKeys(accessKeyId, secretAccessKey,
                Objects.requireNonNull(sessionToken, "AwsAuth.staticKeys: sessionToken is null"));
    }

    /**
     * The IAM role {@code roleArn}, assumed through STS with {@code externalId} (may be null), with
     * the default chain's credentials; the SDK refreshes the session before it expires.
     */
    public static AwsAuth assumeRole(String roleArn, String externalId) {
        return assumeRole(roleArn, externalId, defaultChain());
    }

    /** The IAM role {@code roleArn}, assumed with {@code base}'s credentials; see {@link #assumeRole(String, String)}. */
    public static AwsAuth assumeRole(String roleArn, String externalId, AwsAuth base) {
        return new AssumeRole(roleArn, externalId, Objects.requireNonNull(base, "AwsAuth.assumeRole: base is null"));
    }

    /**
     * Builds the provider the SDK clients use; {@code stsEndpoint} (null for the region's) is where
     * an assumed role is asked for. An STS client it creates is closed with the provider.
     */
    abstract AwsCredentialsProvider provider(Region region, URI stsEndpoint);

    private static final class DefaultChain extends AwsAuth {
        static final DefaultChain INSTANCE = new DefaultChain();

        @Override
        AwsCredentialsProvider provider(Region region, URI stsEndpoint) {
            return DefaultCredentialsProvider.builder().build();
        }

        @Override
        public String toString() {
            return "AwsAuth.defaultChain()";
        }
    }

    private static final class StaticKeys extends AwsAuth {
        private final String accessKeyId;
        private final String secretAccessKey;
        private final String sessionToken;

        StaticKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
            if (accessKeyId == null || accessKeyId.isBlank()) {
                throw new IllegalArgumentException("AwsAuth.staticKeys: accessKeyId is empty; pass the IAM access key id");
            }
            if (secretAccessKey == null || secretAccessKey.isBlank()) {
                throw new IllegalArgumentException("AwsAuth.staticKeys: secretAccessKey is empty for access key "
                        + accessKeyId);
            }
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            this.sessionToken = sessionToken;
        }

        @Override
        AwsCredentialsProvider provider(Region region, URI stsEndpoint) {
            return StaticCredentialsProvider.create(sessionToken == null
                    ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
        }

        @Override
        public String toString() {
            return "AwsAuth.staticKeys(" + accessKeyId + ", ****" + (sessionToken == null ? "" : ", ****") + ")";
        }
    }

    private static final class AssumeRole extends AwsAuth {
        private final String roleArn;
        private final String externalId;
        private final AwsAuth base;

        AssumeRole(String roleArn, String externalId, AwsAuth base) {
            if (roleArn == null || !roleArn.startsWith("arn:")) {
                throw new IllegalArgumentException("AwsAuth.assumeRole: roleArn must be an IAM role ARN like "
                        + "arn:aws:iam::123456789012:role/clickpipes, was " + (roleArn == null ? "null" : "'" + roleArn + "'"));
            }
            this.roleArn = roleArn;
            this.externalId = externalId;
            this.base = base;
        }

        @Override
        AwsCredentialsProvider provider(Region region, URI stsEndpoint) {
            StsClientBuilder sts = StsClient.builder().region(region).credentialsProvider(base.provider(region, stsEndpoint));
            if (stsEndpoint != null) {
                sts.endpointOverride(stsEndpoint);
            }
            AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName(SESSION_NAME);
            if (externalId != null) {
                request.externalId(externalId);
            }
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts.build())
                    .refreshRequest(request.build())
                    .asyncCredentialUpdateEnabled(false)
                    .build();
        }

        @Override
        public String toString() {
            // The external id is a shared secret of sorts (confused-deputy guard): masked too.
            return "AwsAuth.assumeRole(" + roleArn + (externalId == null ? "" : ", externalId=****") + ", via " + base + ")";
        }
    }
}
