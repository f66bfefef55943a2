package dev.clickpipes.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clickpipes.testservices.TestSourceContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Settings are checked at build() with messages that name the field; secrets never show. */
class KinesisSourceBuilderTest {

    @Test
    void streamAndRegionAreRequired() {
        assertThatThrownBy(() -> KinesisSource.builder().region(Region.US_EAST_1).build())
                .hasMessageContaining(".stream(name)").hasMessageContaining(".streamArn(arn)");
        assertThatThrownBy(() -> KinesisSource.builder().stream("orders").build()).hasMessageContaining("KinesisSource.region");
        assertThatThrownBy(() -> KinesisSource.builder().stream("bad name!").region(Region.US_EAST_1).build())
                .hasMessageContaining("KinesisSource.stream").hasMessageContaining("bad name!");
    }

    @Test
    void anArnGivesNameAndRegion() {
        KinesisSource s = KinesisSource.builder().streamArn("arn:aws:kinesis:eu-west-1:123456789012:stream/orders").build();
        assertThat(s.describe()).isEqualTo("kinesis stream orders (eu-west-1)");
        assertThatThrownBy(() -> KinesisSource.builder().streamArn("arn:aws:s3:::bucket").build())
                .hasMessageContaining("not a Kinesis stream ARN");
    }

    @Test
    void timingsAreChecked() {
        assertThatThrownBy(() -> KinesisSource.builder().stream("s").region(Region.US_EAST_1)
                .leaderLockDuration(Duration.ofSeconds(6)).leaderLockHeartbeat(Duration.ofSeconds(3)).build())
                .hasMessageContaining("leaderLockHeartbeat");
        assertThatThrownBy(() -> KinesisSource.builder().stream("s").region(Region.US_EAST_1).failoverTime(Duration.ZERO).build())
                .hasMessageContaining("KinesisSource.failoverTime");
        assertThatThrownBy(() -> KinesisSource.builder().stream("s").region(Region.US_EAST_1).maxRecordsPerGet(20_000).build())
                .hasMessageContaining("maxRecordsPerGet");
    }

    @Test
    void secretsAreMasked() {
        String keys = AwsAuth.staticKeys("AKIDEXAMPLE", "wJalrXUtnFEMI", "token-123").toString();
        assertThat(keys).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI").doesNotContain("token-123");
        String role = AwsAuth.assumeRole("arn:aws:iam::123456789012:role/clickpipes", "ext-secret").toString();
        assertThat(role).contains("role/clickpipes").doesNotContain("ext-secret");
        KinesisSource s = KinesisSource.builder().stream("s").region(Region.US_EAST_1)
                .auth(AwsAuth.staticKeys("AKIDEXAMPLE", "wJalrXUtnFEMI")).build();
        assertThat(s.toString()).doesNotContain("wJalrXUtnFEMI");
        assertThatThrownBy(() -> AwsAuth.assumeRole("clickpipes", null)).hasMessageContaining("roleArn");
    }

    @Test
    void endpointsWithCredentialsAreRefused() {
        assertThatThrownBy(() -> KinesisSource.builder().stream("s").region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://AKIDEXAMPLE:s3cret@127.0.0.1:4566")).build())
                .hasMessageContaining("KinesisSource.endpointOverride 'http://***@127.0.0.1:4566' carries credentials")
                .hasMessageContaining(".auth(AwsAuth.staticKeys(id, secret))").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> KinesisSource.builder().stream("s").region(Region.US_EAST_1)
                .dynamoDbEndpointOverride(URI.create("https://dynamodb.local/?X-Amz-Signature=s3cret")).build())
                .hasMessageContaining("a signed query (x-amz-signature=...)").hasMessageNotContaining("s3cret");
    }

    /** An endpoint with a query that is not refused is still shown masked, in the failure and in the logs. */
    @Test
    void anUnreachableEndpointIsShownMasked() throws Exception {
        KinesisSource source = KinesisSource.builder().stream("orders").region(Region.US_EAST_1)
                .auth(AwsAuth.staticKeys("AKIDEXAMPLE", "wJalrXUtnFEMI"))
                .endpointOverride(URI.create("http://127.0.0.1:20752/?session=s3cret"))
                .dynamoDbEndpointOverride(URI.create("http://127.0.0.1:20752/?session=s3cret"))
                .cloudWatchEndpointOverride(URI.create("http://127.0.0.1:20752/?session=s3cret"))
                .requestTimeout(Duration.ofSeconds(5)).build(); // nothing listens on 20752
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        Throwable failure;
        try {
            failure = org.assertj.core.api.Assertions.catchThrowable(() -> source.open(new TestSourceContext("masked")));
            source.close();
        } finally {
            System.setErr(err);
        }
        assertThat(failure).isNotNull();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertThat(chain.toString()).contains("orders").doesNotContain("s3cret").doesNotContain("wJalrXUtnFEMI");
        assertThat(source.describe()).doesNotContain("s3cret");
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void startPositions() {
        assertThat(KinesisStartPosition.trimHorizon()).hasToString("TRIM_HORIZON");
        assertThat(KinesisStartPosition.latest()).hasToString("LATEST");
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        assertThat(KinesisStartPosition.atTimestamp(t)).hasToString("AT_TIMESTAMP(2026-01-02T03:04:05Z)")
                .isEqualTo(KinesisStartPosition.atTimestamp(t));
    }
}
