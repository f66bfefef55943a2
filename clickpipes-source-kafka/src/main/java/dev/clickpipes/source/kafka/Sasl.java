package dev.clickpipes.source.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a Kafka client authenticates with SASL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or Amazon MSK's
 * IAM. Immutable. The secret goes only into the consumer's {@code sasl.jaas.config}, which Kafka
 * itself masks when it logs its configuration; {@link #toString()} names the mechanism and the user,
 * never the secret.
 *
 * <pre>{@code
 * Sasl.scramSha512("alice", secret)                       // Confluent Platform, Redpanda, MSK SCRAM
 * Sasl.plain("$ConnectionString", "Endpoint=sb://...")    // Azure Event Hubs
 * Sasl.awsMskIam()                                        // MSK IAM, default AWS credentials
 * }</pre>
 */
public final class Sasl {

    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    /** Classes of aws-msk-iam-auth, named as text so that library stays optional. */
    static final String IAM_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule";
    static final String IAM_CALLBACK_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";
    static final String IAM_MECHANISM = "AWS_MSK_IAM";

    private final String mechanism;
    private final String loginModule;
    /** The JAAS options, in order; shown nowhere but in the JAAS line. */
    private final Map<String, String> options;
    private final String shownIdentity;

    private Sasl(String mechanism, String loginModule, Map<String, String> options, String shownIdentity) {
        this.mechanism = mechanism;
        this.loginModule = loginModule;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.shownIdentity = shownIdentity;
    }

    /** SASL/PLAIN with a user name and password; send it over TLS ({@code SASL_SSL}) outside a private network. */
    public static Sasl plain(String username, String password) {
        return userPassword("PLAIN", PLAIN_MODULE, username, password);
    }

    /** SASL/SCRAM-SHA-256 with a user name and password. */
    public static Sasl scramSha256(String username, String password) {
        return userPassword("SCRAM-SHA-256", SCRAM_MODULE, username, password);
    }

    /** SASL/SCRAM-SHA-512 with a user name and password. */
    public static Sasl scramSha512(String username, String password) {
        return userPassword("SCRAM-SHA-512", SCRAM_MODULE, username, password);
    }

    /**
     * Amazon MSK IAM with the default AWS credentials chain (environment variables
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, system properties, profile, container or
     * instance role). Needs {@code software.amazon.msk:aws-msk-iam-auth} on the class path and
     * {@code SASL_SSL} (MSK's IAM listener is port 9098).
     */
    public static Sasl awsMskIam() {
        return new Sasl(IAM_MECHANISM, IAM_MODULE, Map.of(), "default credentials");
    }

    /** Amazon MSK IAM with the credentials of a named profile of {@code ~/.aws/credentials}. */
    public static Sasl awsMskIamProfile(String profile) {
        requireText(profile, "profile", "the name of a profile in ~/.aws/credentials");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("awsProfileName", profile);
        return new Sasl(IAM_MECHANISM, IAM_MODULE, o, "profile " + profile);
    }

    /**
     * Amazon MSK IAM assuming a role, with the default credentials chain as the caller.
     *
     * @param roleArn     the role to assume, {@code arn:aws:iam::123456789012:role/msk-reader}
     * @param sessionName the STS session name, shown in CloudTrail
     * @param stsRegion   the region of the STS endpoint, e.g. {@code us-east-1}; null for the global endpoint
     */
    public static Sasl awsMskIamRole(String roleArn, String sessionName, String stsRegion) {
        return new Sasl(IAM_MECHANISM, IAM_MODULE, roleOptions(roleArn, sessionName, stsRegion), "role " + roleArn);
    }

    /**
     * Amazon MSK IAM assuming a role with these access keys (aws-msk-iam-auth takes static keys only
     * to assume a role; for keys alone use {@link #awsMskIam()} with {@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY} in the environment).
     */
    public static Sasl awsMskIamRole(String roleArn, String sessionName, String stsRegion,
                                     String accessKeyId, String secretAccessKey) {
        requireText(accessKeyId, "accessKeyId", "an AWS access key id");
        requireText(secretAccessKey, "secretAccessKey", "its secret access key");
        Map<String, String> o = roleOptions(roleArn, sessionName, stsRegion);
        o.put("awsRoleAccessKeyId", accessKeyId);
        o.put("awsRoleSecretAccessKey", secretAccessKey);
        return new Sasl(IAM_MECHANISM, IAM_MODULE, o, "role " + roleArn + " with key " + accessKeyId);
    }

    private static Map<String, String> roleOptions(String roleArn, String sessionName, String stsRegion) {
        requireText(roleArn, "roleArn", "e.g. arn:aws:iam::123456789012:role/msk-reader");
        requireText(sessionName, "sessionName", "e.g. clickpipes");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("awsRoleArn", roleArn);
        o.put("awsRoleSessionName", sessionName);
        if (stsRegion != null && !stsRegion.isBlank()) {
            o.put("awsStsRegion", stsRegion);
        }
        return o;
    }

    private static Sasl userPassword(String mechanism, String module, String username, String password) {
        requireText(username, "username", "the SASL user name");
        Objects.requireNonNull(password, () -> "Sasl." + mechanism + ": password is null; give the user's password");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("username", username);
        o.put("password", password);
        return new Sasl(mechanism, module, o, "user " + username);
    }

    private static void requireText(String value, String field, String hint) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Sasl: " + field + " is " + (value == null ? "null" : "blank")
                    + "; give " + hint);
        }
    }

    /** The SASL mechanism, as Kafka names it ({@code PLAIN}, {@code SCRAM-SHA-256}, {@code AWS_MSK_IAM}). */
    public String mechanism() {
        return mechanism;
    }

    /** The user (or identity) this authenticates as, for messages; never a secret. */
    public String identity() {
        return shownIdentity;
    }

    /** True for Amazon MSK IAM, which needs the aws-msk-iam-auth library. */
    boolean isAwsMskIam() {
        return IAM_MECHANISM.equals(mechanism);
    }

    /** Writes {@code sasl.mechanism}, {@code sasl.jaas.config} and, for MSK IAM, the callback handler. */
    void configure(Map<String, Object> props) {
        props.put("sasl.mechanism", mechanism);
        props.put("sasl.jaas.config", jaasConfig());
        if (isAwsMskIam()) {
            props.put("sasl.client.callback.handler.class", IAM_CALLBACK_HANDLER);
        }
    }

    /** The JAAS line: {@code module required key="value" ...;} with quotes and backslashes escaped. */
    String jaasConfig() {
        StringBuilder sb = new StringBuilder(loginModule).append(" required");
        for (Map.Entry<String, String> e : options.entrySet()) {
            sb.append(' ').append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
        }
        return sb.append(';').toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Equal when mechanism and every option (secrets too) are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Sasl s && s.mechanism.equals(mechanism) && s.options.equals(options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, options);
    }

    /** The mechanism and identity, e.g. {@code SCRAM-SHA-512(user alice)}; never a secret. */
    @Override
    public String toString() {
        return mechanism + "(" + shownIdentity + ")";
    }
}
