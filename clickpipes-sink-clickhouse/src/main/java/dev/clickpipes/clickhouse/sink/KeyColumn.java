package dev.clickpipes.clickhouse.sink;

/**
 * One sorting-key column of an insert, comparing two of its rows (numbered across all the insert's
 * blocks) as a MergeTree sorts them ascending: integers, dates, Decimal, Enum, Bool by their stored
 * number, signed or not by type; UUID as the UInt128 whose high half is its second 8 bytes;
 * String, FixedString, IPv6 and LowCardinality(String) as unsigned bytes; floats with -0 equal to 0
 * and NaN last; NULLs last. Two rows compare 0 exactly when the engine finds them equal, so a stable
 * sort by these keys is the engine's own order (ReplacingMergeTree keeps the last of equal rows:
 * ties must keep their order).
 */
interface KeyColumn {

    /** Negative, zero or positive as row {@code a} sorts before, with or after row {@code b}. */
    int compare(int a, int b);
}
