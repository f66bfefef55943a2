package dev.clickpipes.source.objectstore;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** Builds the AWS SDK's S3 client for a URL and its settings (S3, S3-compatible stores, GCS's XML API). */
final class S3Clients {

    private S3Clients() {
    }

    static S3Client build(URI endpoint, String region, boolean pathStyle, boolean checksumsWhenRequired,
                          ObjectAuth auth, boolean regionKnown) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(provider(auth, region))
                .forcePathStyle(pathStyle);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        } else if (!regionKnown) {
            b.crossRegionAccessEnabled(true); // s3://bucket names no region: follow the bucket's
        }
        if (checksumsWhenRequired) {
            // GCS's XML API and some S3-compatible stores reject the SDK's default flexible checksums.
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    static AwsCredentialsProvider provider(ObjectAuth auth, String region) {
        return switch (auth.kind) {
            case ANONYMOUS -> AnonymousCredentialsProvider.create();
            case ACCESS_KEY, HMAC -> StaticCredentialsProvider.create(AwsBasicCredentials.create(auth.keyId, auth.secret));
            case ASSUME_ROLE -> StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(StsClient.builder().region(Region.of(region))
                            .credentialsProvider(provider(auth.base, region)).build())
                    .refreshRequest(r -> {
                        r.roleArn(auth.roleArn).roleSessionName("clickpipes");
                        if (auth.externalId != null) {
                            r.externalId(auth.externalId);
                        }
                    })
                    .build();
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
            case GCS_SERVICE_ACCOUNT -> throw new IllegalArgumentException(
                    "a GCS service-account key reads gs:// URLs through GCS's JSON API, not S3; use ObjectAuth.hmac for "
                            + "https://storage.googleapis.com URLs");
            case AZURE_SHARED_KEY, AZURE_SAS, AZURE_CONNECTION_STRING -> throw new IllegalArgumentException(
                    auth + " reads Azure Blob Storage URLs (https://account.blob.core.windows.net/container/...), not S3");
        };
    }
}
