package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code system.tables.sorting_key} as ClickHouse prints it: plain columns, or why not. */
class SortingKeyTest {

    @Test
    void plainColumnsQuotedOrNotAndParenthesised() {
        assertThat(SortingKey.parse("event, ts").columns()).containsExactly("event", "ts");
        assertThat(SortingKey.parse("(s)").columns()).containsExactly("s");
        assertThat(SortingKey.parse("`b c`, a, (`x,)y`)").columns()).containsExactly("b c", "a", "x,)y");
        assertThat(SortingKey.parse("`a\\`b`").columns()).containsExactly("a`b");
        assertThat(SortingKey.parse("a").notColumns()).isNull();
    }

    @Test
    void expressionsAndNoKeyAreNotColumns() {
        assertThat(SortingKey.parse("a, toStartOfHour(ts)").notColumns())
                .isEqualTo("`toStartOfHour(ts)` is not a plain column");
        assertThat(SortingKey.parse("(a) + (b)").notColumns()).isEqualTo("`(a) + (b)` is not a plain column");
        assertThat(SortingKey.parse("(a, b)").notColumns()).contains("is not a plain column");
        assertThat(SortingKey.parse("a DESC").notColumns()).contains("is not a plain column");
        assertThat(SortingKey.parse("`a` `b`").notColumns()).contains("is not a plain column");
        assertThat(SortingKey.parse("").notColumns()).contains("no sorting key");
        assertThat(SortingKey.parse("").columns()).isEmpty();
    }
}
