package dev.clickpipes.source.objectstore;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy embedded on 127.0.0.1 with an in-memory blob store, for one test class. */
final class S3ProxyServer implements AutoCloseable {

    static final String ACCESS = "AKIDCLICKPIPES";
    static final String SECRET = "clickpipes-test-secret";

    private final S3Proxy proxy;
    final int port;

    S3ProxyServer(int port, boolean auth) throws Exception {
        this.port = port;
        S3Proxy.Builder b = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port));
        b = auth ? b.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                : b.awsAuthentication(AuthenticationType.NONE, null, null);
        proxy = b.build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for setting up buckets and objects. */
    S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
