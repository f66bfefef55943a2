package dev.clickpipes.format.parquet;

import java.io.IOException;

/**
 * Walks a Parquet footer's Thrift compact encoding before parquet-java parses it, and refuses
 * what would make the parser allocate or recurse past the footer's own size: a list, set, map or
 * string longer than the bytes left, or structures nested deeper than {@link #MAX_DEPTH}. Thrift
 * sizes each collection from its header before it reads an element, so a 70-byte footer could
 * ask for an array of 100 million (found by fuzzing).
 */
final class FooterCheck {

    /** Far deeper than any schema's footer nests (a field's struct in a list in the file's struct). */
    static final int MAX_DEPTH = 64;

    private static final int BOOL_TRUE = 1;
    private static final int BOOL_FALSE = 2;

    private final byte[] b;
    private int pos;

    private FooterCheck(byte[] footer) {
        this.b = footer;
    }

    /** Throws, naming what was wrong and where, unless {@code footer} is well-formed compact Thrift within its bounds. */
    static void check(byte[] footer) throws IOException {
        new FooterCheck(footer).struct(1);
    }

    private void struct(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw bad("structures nested deeper than " + MAX_DEPTH);
        }
        while (true) {
            int header = u8();
            if (header == 0) {
                return; // the struct's stop byte
            }
            if (header >>> 4 == 0) {
                varint(); // a field id given in full, not as a delta
            }
            value(header & 0x0f, depth);
        }
    }

    private void value(int type, int depth) throws IOException {
        switch (type) {
            case BOOL_TRUE, BOOL_FALSE -> {
                // a field's boolean is in its header
            }
            case 3 -> skip(1);
            case 4, 5, 6 -> varint();
            case 7 -> skip(8);
            case 8 -> skip(count("a string"));
            case 9, 10 -> list(depth + 1);
            case 11 -> map(depth + 1);
            case 12 -> struct(depth + 1);
            default -> throw bad("a value of unknown type " + type);
        }
    }

    private void element(int type, int depth) throws IOException {
        if (type == BOOL_TRUE || type == BOOL_FALSE) {
            skip(1); // in a collection a boolean takes a byte
        } else {
            value(type, depth);
        }
    }

    private void list(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw bad("structures nested deeper than " + MAX_DEPTH);
        }
        int header = u8();
        int size = header >>> 4;
        if (size == 15) {
            size = count("a list");
        }
        for (int i = 0; i < size; i++) {
            element(header & 0x0f, depth);
        }
    }

    private void map(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw bad("structures nested deeper than " + MAX_DEPTH);
        }
        int size = count("a map");
        if (size == 0) {
            return;
        }
        int types = u8();
        for (int i = 0; i < size; i++) {
            element(types >>> 4, depth);
            element(types & 0x0f, depth);
        }
    }

    /** A length or element count: every element takes a byte at least, so it is at most the bytes left. */
    private int count(String what) throws IOException {
        long n = varint();
        if (n < 0 || n > b.length - pos) {
            throw bad(what + " of " + n + " elements or bytes, with " + (b.length - pos) + " bytes left");
        }
        return (int) n;
    }

    private long varint() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            value |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        throw bad("a number that does not end");
    }

    private int u8() throws IOException {
        if (pos >= b.length) {
            throw bad("the footer ends inside a value");
        }
        return b[pos++] & 0xff;
    }

    private void skip(int n) throws IOException {
        if (n > b.length - pos) {
            throw bad("the footer ends inside a value");
        }
        pos += n;
    }

    private IOException bad(String what) {
        return new IOException("its footer (" + b.length + " bytes) is malformed at byte " + pos + ": " + what);
    }
}
