package dev.clickpipes.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name cache gives back the name of the bytes, the same instance for the same bytes, wherever they lie. */
class NameCacheTest {

    @Test
    void sameBytesSameInstanceDifferentBytesDifferentNames() {
        NameCache cache = new NameCache();
        List<String> names = new ArrayList<>();
        // Lengths around the 8- and 16-byte words, names differing only in their last byte or their length,
        // long names sharing their first 16 bytes, an empty name and a non-ASCII one.
        for (int n = 0; n <= 40; n++) {
            String base = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH".substring(0, n);
            names.add(base);
            if (n > 0) {
                names.add(base.substring(0, n - 1) + "_");
            }
        }
        names.add("prefix_shared_by_many_0001");
        names.add("prefix_shared_by_many_0002");
        names.add("prix_€_ü");
        names = new ArrayList<>(new java.util.LinkedHashSet<>(names));
        List<String> first = new ArrayList<>();
        for (String name : names) {
            String got = lookUp(cache, name, 0);
            assertThat(got).isEqualTo(name);
            first.add(got);
        }
        for (int shift = 0; shift < 3; shift++) {
            for (int i = 0; i < names.size(); i++) {
                assertThat(lookUp(cache, names.get(i), shift)).isSameAs(first.get(i));
            }
        }
    }

    @Test
    void namesAtTheEndOfTheArray() {
        NameCache cache = new NameCache();
        for (String name : List.of("a", "user_id", "event_time", "a_name_of_21_bytes__x")) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            byte[] padded = new byte[utf8.length + 3];
            System.arraycopy(utf8, 0, padded, 3, utf8.length);
            String atEnd = cache.get(padded, 3, utf8.length);
            assertThat(atEnd).isEqualTo(name);
            assertThat(cache.get(Arrays.copyOf(utf8, utf8.length + 20), 0, utf8.length)).isSameAs(atEnd);
        }
    }

    @Test
    void pastTheLimitNamesAreStillRight() {
        NameCache cache = new NameCache();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            String name = "key_" + i;
            assertThat(lookUp(cache, name, 0)).isEqualTo(name);
            seen.add(name);
        }
        assertThat(lookUp(cache, "key_7", 1)).isSameAs(lookUp(cache, "key_7", 2));
        assertThat(seen).hasSize(5_000);
    }

    private static String lookUp(NameCache cache, String name, int offset) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[offset + utf8.length + 1];
        Arrays.fill(bytes, (byte) 'z'); // bytes around the name must not count
        System.arraycopy(utf8, 0, bytes, offset, utf8.length);
        return cache.get(bytes, offset, utf8.length);
    }
}
