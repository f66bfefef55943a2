package dev.clickpipes.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {

    @Test
    void masksUserInfoQueryAndFragmentKeepsWhere() {
        assertThat(Urls.mask("https://user:secret@host:8443/path?password=secret#frag"))
                .isEqualTo("https://***@host:8443/path?***");
        assertThat(Urls.mask("http://host:8123/?password=secret")).isEqualTo("http://host:8123/?***");
        assertThat(Urls.mask("http://host:8123")).isEqualTo("http://host:8123");
        assertThat(Urls.mask("https://registry/subjects/a@b")).isEqualTo("https://registry/subjects/a@b");
        // malformed: still masked
        assertThat(Urls.mask("ht tp://u:secret@ho st:1?x=secret")).isEqualTo("ht tp://***@ho st:1?***");
        assertThat(Urls.mask("u:secret@host:8123")).isEqualTo("***@host:8123");
        assertThat(Urls.mask("http://a:b@c@host/")).isEqualTo("http://***@host/");
        assertThat(Urls.mask("host#secret")).isEqualTo("host#***");
    }

    @Test
    void findsCredentialsAndSigningParameters() {
        assertThat(Urls.secretIn("https://user:secret@host/b/k")).isEqualTo("credentials (user:password@)");
        assertThat(Urls.secretIn("s3://AKIA:secret@bucket/k/*.csv")).isEqualTo("credentials (user:password@)");
        assertThat(Urls.secretIn("https://b.s3.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIA%2F20261202&X-Amz-Signature=abc")).isEqualTo("a signed query (x-amz-credential=...)");
        assertThat(Urls.secretIn("https://storage.googleapis.com/b/k.csv?X-Goog-Signature=abc"))
                .isEqualTo("a signed query (x-goog-signature=...)");
        assertThat(Urls.secretIn("https://b.s3.amazonaws.com/k.csv?AWSAccessKeyId=AKIA&Expires=1&Signature=abc"))
                .isEqualTo("a signed query (awsaccesskeyid=...)");
        assertThat(Urls.secretIn("https://acct.blob.core.windows.net/c/k.csv?sv=2022&sig=abc"))
                .isEqualTo("a signed query (sig=...)");
        // '?' is a glob wildcard in object URLs, '@' may be in a key, '=' in a partition folder
        assertThat(Urls.secretIn("s3://bucket/dt=2026-12-0?/part-*.parquet")).isNull();
        assertThat(Urls.secretIn("s3://bucket/users/a@b/*.csv")).isNull();
        assertThat(Urls.secretIn("http://127.0.0.1:9000")).isNull();
        assertThat(Urls.secretIn(null)).isNull();
    }
}
