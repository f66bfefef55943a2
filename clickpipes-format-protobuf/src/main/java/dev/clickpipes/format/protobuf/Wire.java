package dev.clickpipes.format.protobuf;

import java.io.IOException;

/**
 * A cursor over Protobuf's binary encoding: varints, fixed-width values and the length-delimited
 * values' bounds, checked against the end of the message (a truncated or hostile message fails
 * with a message, never with an index out of bounds or a huge allocation).
 */
final class Wire {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    final byte[] data;
    int pos;
    final int end;

    Wire(byte[] data, int pos, int end) {
        this.data = data;
        this.pos = pos;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IOException("truncated varint at byte " + pos);
            }
            byte b = data[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IOException("malformed varint (more than 10 bytes) at byte " + pos);
    }

    int fixed32() throws IOException {
        need(4);
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16 | (data[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long fixed64() throws IOException {
        long lo = fixed32() & 0xffffffffL;
        long hi = fixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    /** Reads a length prefix and checks the value fits; returns the length (pos is at the value). */
    int length() throws IOException {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new IOException("length " + n + " at byte " + pos + " runs past the end of the message");
        }
        return (int) n;
    }

    private void need(int n) throws IOException {
        if (end - pos < n) {
            throw new IOException("truncated value at byte " + pos);
        }
    }

    /** Moves past the value of a field of this wire type (pos is after its tag). */
    void skip(int wireType) throws IOException {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LEN -> pos += length();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            case START_GROUP -> skipGroup(0);
            default -> throw new IOException("wire type " + wireType + " at byte " + pos + " is not valid here");
        }
    }

    /** Groups (proto2's deprecated nesting) can nest: bounded, so a hostile message cannot exhaust the stack. */
    private void skipGroup(int depth) throws IOException {
        if (depth > 100) {
            throw new IOException("groups nested more than 100 deep");
        }
        while (true) {
            if (atEnd()) {
                throw new IOException("group not closed before the end of the message");
            }
            long tag = varint();
            int type = (int) (tag & 7);
            if (type == END_GROUP) {
                return;
            }
            if (type == START_GROUP) {
                skipGroup(depth + 1);
            } else {
                skip(type);
            }
        }
    }

    static long zigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
