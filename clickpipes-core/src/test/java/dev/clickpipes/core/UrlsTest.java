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
}
