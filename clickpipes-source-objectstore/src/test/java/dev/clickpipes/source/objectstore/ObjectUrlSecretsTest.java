package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.clickpipes.testservices.TestSourceContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * URLs carrying a password or a signature are refused at build(), without showing the secret; an
 * endpoint is shown masked wherever it appears.
 */
class ObjectUrlSecretsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "s3://AKIDEXAMPLE:s3cret@bucket/data/*.csv",
        "https://alice:s3cret@127.0.0.1:9000/bucket/data/*.csv",
        "gs://alice:s3cret@bucket/data/*.csv",
    })
    void credentialsInTheUrlAreRefused(String url) {
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(url).build())
                .hasMessageContaining("carries credentials (user:password@)")
                .hasMessageContaining(".auth(ObjectAuth.accessKey(id, secret))")
                .hasMessageContaining("***@").hasMessageNotContaining("s3cret").hasMessageNotContaining("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // S3 SigV4 presigned GET
        "https://bucket.s3.us-east-1.amazonaws.com/data/x.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIDEXAMPLE%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261202T000000Z"
            + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=s3cret",
        // S3 SigV2 (query string authentication)
        "https://bucket.s3.amazonaws.com/data/x.csv?AWSAccessKeyId=AKIDEXAMPLE&Expires=1700000000&Signature=s3cret",
        // GCS V4 signed URL
        "https://storage.googleapis.com/bucket/data/x.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p"
            + "&X-Goog-Signature=s3cret",
        // a signature alone
        "http://127.0.0.1:9000/bucket/data/x.csv?sig=s3cret",
    })
    void presignedUrlsAreRefused(String url) {
        assertThatThrownBy(() -> ObjectStoreSource.builder().url(url).build())
                .hasMessageContaining("carries a signed query (")
                .hasMessageContaining("as a presigned URL does: it signs one GET of one object, while the source lists "
                        + "and reads the bucket")
                .hasMessageContaining(".auth(ObjectAuth.accessKey(id, secret))")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("AKIDEXAMPLE");
    }

    @Test
    void credentialsInTheEndpointAreRefused() {
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("s3://bucket/data/*.csv")
                .endpoint("http://minio:s3cret@127.0.0.1:9000").build())
                .hasMessageContaining("ObjectStoreSource.endpoint 'http://***@127.0.0.1:9000' carries credentials")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ObjectStoreSource.builder().url("s3://bucket/data/*.csv")
                .endpoint("http://127.0.0.1:9000/a b?token=s3cret").build())
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aGlobWithWildcardsAndPartitionFoldersIsNotTakenForASecret() {
        ObjectStoreSource s = ObjectStoreSource.builder().url("s3://bucket/dt=2026-12-0?/users/a@b/*.csv").build();
        assertThat(s.describe()).isEqualTo("objects s3://bucket/dt=2026-12-0?/users/a@b/*.csv");
    }

    /** An endpoint whose query is not a known secret is still shown masked: in the failure, describe() and the logs. */
    @Test
    void anUnreachableEndpointIsShownMasked() throws Exception {
        ObjectStoreSource source = ObjectStoreSource.builder().url("s3://bucket/data/*.csv")
                .endpoint("http://127.0.0.1:20753/?session=s3cret") // nothing listens on 20753
                .auth(ObjectAuth.accessKey("AKIDEXAMPLE", "wJalrXUtnFEMI")).build();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        Throwable failure;
        try {
            failure = catchThrowable(() -> source.open(new TestSourceContext("masked")));
            source.close();
        } finally {
            System.setErr(err);
        }
        assertThat(failure).isNotNull();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        System.out.println("failure: " + chain);
        assertThat(chain.toString()).doesNotContain("s3cret").doesNotContain("wJalrXUtnFEMI");
        assertThat(source.describe()).doesNotContain("s3cret");
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("s3cret").doesNotContain("wJalrXUtnFEMI");
    }
}
