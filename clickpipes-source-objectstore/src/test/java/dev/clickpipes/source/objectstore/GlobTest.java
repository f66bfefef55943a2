package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void wildcards() {
        Glob g = Glob.of("logs/2024/*.ndjson.gz");
        assertThat(g.prefix()).isEqualTo("logs/2024/");
        assertThat(g.matches("logs/2024/a.ndjson.gz")).isTrue();
        assertThat(g.matches("logs/2024/x/a.ndjson.gz")).isFalse();
        Glob deep = Glob.of("logs/**.ndjson");
        assertThat(deep.matches("logs/a/b/c.ndjson")).isTrue();
        assertThat(deep.matches("logs/c.ndjson")).isTrue();
        assertThat(Glob.of("a/file-?.csv").matches("a/file-1.csv")).isTrue();
        assertThat(Glob.of("a/file-?.csv").matches("a/file-10.csv")).isFalse();
        assertThat(Glob.of("a.b+c/(x).csv").matches("a.b+c/(x).csv")).isTrue();
        assertThat(Glob.of("a/x.csv").literal()).isTrue();
    }

    @Test
    void alternativesAndRanges() {
        Glob g = Glob.of("d/{jan,feb}/part-{1..3}.parquet");
        assertThat(g.prefix()).isEqualTo("d/");
        assertThat(g.matches("d/feb/part-3.parquet")).isTrue();
        assertThat(g.matches("d/mar/part-3.parquet")).isFalse();
        assertThat(g.matches("d/jan/part-4.parquet")).isFalse();
        Glob padded = Glob.of("p-{001..012}.csv");
        assertThat(padded.matches("p-007.csv")).isTrue();
        assertThat(padded.matches("p-7.csv")).isFalse();
        assertThatThrownBy(() -> Glob.of("a/{x,y.csv")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> Glob.of("a/{x..y}.csv")).hasMessageContaining("range");
    }

    @Test
    void urls() {
        ObjectUrl u = ObjectUrl.parse("https://my-bucket.s3.eu-west-1.amazonaws.com/path/**.ndjson.gz");
        assertThat(u.kind()).isEqualTo(ObjectUrl.Kind.S3);
        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.region()).isEqualTo("eu-west-1");
        assertThat(u.pattern()).isEqualTo("path/**.ndjson.gz");
        assertThat(u.endpoint()).isNull();
        u = ObjectUrl.parse("https://my.bucket.s3.amazonaws.com/x.csv");
        assertThat(u.bucket()).isEqualTo("my.bucket");
        assertThat(u.region()).isNull();
        u = ObjectUrl.parse("https://s3.us-east-2.amazonaws.com/b/k/*.parquet");
        assertThat(u.bucket()).isEqualTo("b");
        assertThat(u.region()).isEqualTo("us-east-2");
        assertThat(u.pathStyle()).isTrue();
        u = ObjectUrl.parse("s3://bucket/path/*.parquet");
        assertThat(u.bucket()).isEqualTo("bucket");
        assertThat(u.pattern()).isEqualTo("path/*.parquet");
        u = ObjectUrl.parse("gs://gb/a/b.csv");
        assertThat(u.kind()).isEqualTo(ObjectUrl.Kind.GCS);
        assertThat(u.endpoint()).isNull();
        u = ObjectUrl.parse("https://storage.googleapis.com/gb/a/*.csv");
        assertThat(u.kind()).isEqualTo(ObjectUrl.Kind.GCS);
        assertThat(u.bucket()).isEqualTo("gb");
        assertThat(u.endpoint()).hasToString("https://storage.googleapis.com");
        u = ObjectUrl.parse("http://127.0.0.1:9000/minio-bucket/k/*.json");
        assertThat(u.kind()).isEqualTo(ObjectUrl.Kind.S3);
        assertThat(u.endpoint()).hasToString("http://127.0.0.1:9000");
        assertThat(u.bucket()).isEqualTo("minio-bucket");
        u = ObjectUrl.parse("file:///data/in/**/*.csv");
        assertThat(u.kind()).isEqualTo(ObjectUrl.Kind.FILE);
        assertThat(u.bucket()).isEqualTo("/data/in");
        assertThat(u.pattern()).isEqualTo("**/*.csv");
        assertThatThrownBy(() -> ObjectUrl.parse("ftp://x/y")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> ObjectUrl.parse("s3://bucketonly")).hasMessageContaining("no bucket and key");
    }
}
