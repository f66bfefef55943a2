package dev.clickpipes.format.json;

import dev.clickpipes.clickhouse.types.Column;
import dev.clickpipes.core.RowBuffer;
import dev.clickpipes.core.spi.DecodeException;
import dev.clickpipes.core.spi.SourceRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Our own JSON reader over a record's bytes, specialised to the target columns: field names are
 * looked up by their bytes ({@link NameCache}), numbers are parsed straight into the column's
 * type, unescaped strings are copied as UTF-8, and subtrees no column wants are skipped by a scan
 * that validates them without making tokens.
 *
 * <p>It accepts a strict subset of what the Jackson path ({@link JsonDecoder}) accepts, and writes
 * the same values through the same column calls. Whatever it does not read exactly as Jackson
 * would (a syntax error, a value a column refuses, a duplicate field, NaN, an integer beyond 18
 * digits, UTF-8 that is not strictly valid, very deep nesting, ...) makes {@link #decode} return
 * false: the caller rolls the record back and decodes it again with Jackson, whose answer, value
 * or error message, is then exactly today's. Not thread-safe: one per thread.
 */
final class JsonReader {

    /** Nesting deeper than this goes to Jackson (whose limit is 1000). */
    private static final int MAX_DEPTH = 200;
    /** Numbers longer than this go to Jackson (whose limit is 1000 characters). */
    private static final int MAX_NUMBER = 200;
    /** Field names longer than this go to Jackson (whose limit is 50 000). */
    private static final int MAX_NAME = 1000;
    /** Escaped strings longer than this go to Jackson (whose limit is 20 M characters). */
    private static final int MAX_ESCAPED = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22};

    /** Thrown where the record needs Jackson; carries nothing, costs nothing. */
    private static final class NeedsJackson extends Exception {
        private static final long serialVersionUID = 1L;

        NeedsJackson() {
            super(null, null, false, false);
        }
    }

    private static final NeedsJackson NEEDS_JACKSON = new NeedsJackson();
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final NameCache names = new NameCache();
    private byte[] b;
    private int pos;
    private int end;
    private int depth;
    /** The path of the object being read, as UTF-8 ({@code a.b.} while inside {@code {"a":{"b":{...}}}}). */
    private byte[] path = new byte[64];
    private char[] chars = new char[64];
    /** The UTF-8 of an escaped string being unescaped. */
    private byte[] unescaped = new byte[64];

    /**
     * Decodes the record into one row. Returns false, having perhaps written part of it, when
     * the record needs Jackson: the caller rolls the record back.
     */
    boolean decode(SourceRecord record, RowBuffer rows) {
        b = record.data();
        pos = record.offset();
        end = pos + record.length();
        depth = 0;
        try {
            skipWhitespace();
            if (pos >= end || b[pos] != '{') {
                return false;
            }
            pos++;
            rows.beginRow();
            fields(rows, 0);
            skipWhitespace();
            if (pos != end) {
                return false;
            }
            rows.endRow();
            return true;
        } catch (NeedsJackson | DecodeException | RuntimeException e) {
            // RuntimeException too: a column's or our own surprise gets Jackson's answer, never a lost record.
            return false;
        } finally {
            b = null;
        }
    }

    // ---- structure ----------------------------------------------------------------------------

    /** An object's fields (after its '{'), whose names are below the {@code pathLength} bytes of {@link #path}. */
    private void fields(RowBuffer rows, int pathLength) throws NeedsJackson, DecodeException {
        enter();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return;
        }
        while (true) {
            expect('"');
            int nameStart = pos;
            int nameEnd = scanName();
            String name;
            int fullLength = pathLength + nameEnd - nameStart;
            if (pathLength == 0) {
                name = names.get(b, nameStart, nameEnd - nameStart);
            } else {
                ensurePath(fullLength + 1);
                System.arraycopy(b, nameStart, path, pathLength, nameEnd - nameStart);
                name = names.get(path, 0, fullLength);
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Column column = rows.field(name);
            if (column != null) {
                value(column);
            } else if (peek() == '{' && rows.hasFieldsUnder(name)) {
                if (pathLength == 0) {
                    ensurePath(fullLength + 1);
                    System.arraycopy(b, nameStart, path, 0, fullLength);
                }
                path[fullLength] = '.';
                pos++;
                fields(rows, fullLength + 1);
            } else {
                skipValue();
            }
            skipWhitespace();
            byte c = next();
            if (c == '}') {
                depth--;
                return;
            }
            if (c != ',') {
                throw NEEDS_JACKSON;
            }
            skipWhitespace();
        }
    }

    /** One value into a column, as {@code JsonValues.write} would write it. */
    private void value(Column column) throws NeedsJackson, DecodeException {
        switch (peek()) {
            case '"' -> {
                if (!column.acceptsJsonStrings()) {
                    throw NEEDS_JACKSON;
                }
                string(column);
            }
            case 't' -> {
                literal(TRUE);
                column.appendBoolean(true);
            }
            case 'f' -> {
                literal(FALSE);
                column.appendBoolean(false);
            }
            case 'n' -> {
                literal(NULL);
                column.appendNull();
            }
            case '[' -> {
                if (column.wantsRawJson()) {
                    raw(column);
                } else if (column.tupleSize() > 0 && !column.tupleNamed()) {
                    tupleFromArray(column);
                } else {
                    array(column);
                }
            }
            case '{' -> {
                if (column.wantsRawJson()) {
                    raw(column);
                } else if (column.tupleSize() > 0 && column.tupleNamed()) {
                    tupleFromObject(column);
                } else {
                    map(column);
                }
            }
            default -> number(column);
        }
    }

    private void array(Column column) throws NeedsJackson, DecodeException {
        Column elements = column.arrayElements();
        int count = 0;
        if (!openIsEmpty(']')) {
            do {
                value(elements);
                count++;
            } while (!endOfElement());
        }
        depth--;
        column.endArray(count);
    }

    private void tupleFromArray(Column column) throws NeedsJackson, DecodeException {
        column.beginTuple();
        int index = 0;
        if (!openIsEmpty(']')) {
            do {
                if (index >= column.tupleSize()) {
                    throw NEEDS_JACKSON; // Jackson's path names the error
                }
                value(column.tupleElement(index++));
            } while (!endOfElement());
        }
        if (index < column.tupleSize()) {
            throw NEEDS_JACKSON;
        }
        depth--;
        column.endTuple();
    }

    private void map(Column column) throws NeedsJackson, DecodeException {
        Column keys = column.mapKeys();
        Column values = column.mapValues();
        int count = 0;
        if (!openIsEmpty('}')) {
            do {
                keys.appendString(memberName());
                value(values);
                count++;
            } while (!endOfMember());
        }
        depth--;
        column.endMap(count);
    }

    private void tupleFromObject(Column column) throws NeedsJackson, DecodeException {
        column.beginTuple();
        if (!openIsEmpty('}')) {
            do {
                int index = column.tupleIndex(memberName());
                if (index < 0) {
                    skipValue(); // fields the tuple does not name are ignored, like top-level ones
                } else {
                    value(column.tupleElement(index));
                }
            } while (!endOfMember());
        }
        depth--;
        column.endTuple();
    }

    /** A member's name and its ':' inside a map or tuple object, as a String. */
    private String memberName() throws NeedsJackson {
        expect('"');
        int start = pos;
        int nameEnd = scanName();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        return names.get(b, start, nameEnd - start);
    }

    /** After an array element: true at its ']', false after a ',' (and the whitespace after it). */
    private boolean endOfElement() throws NeedsJackson {
        skipWhitespace();
        byte c = next();
        if (c == ']') {
            return true;
        }
        if (c != ',') {
            throw NEEDS_JACKSON;
        }
        skipWhitespace();
        return false;
    }

    /** After an object member: true at its '}', false after a ',' (and the whitespace after it). */
    private boolean endOfMember() throws NeedsJackson {
        skipWhitespace();
        byte c = next();
        if (c == '}') {
            return true;
        }
        if (c != ',') {
            throw NEEDS_JACKSON;
        }
        skipWhitespace();
        return false;
    }

    /** The object or array here, as the exact JSON text it was written as. */
    private void raw(Column column) throws NeedsJackson, DecodeException {
        int start = pos;
        skipValue();
        column.appendBytes(b, start, pos - start);
    }

    private void enter() throws NeedsJackson {
        if (++depth > MAX_DEPTH) {
            throw NEEDS_JACKSON;
        }
    }

    /**
     * Steps into the array or object whose opening bracket is at pos, past the white space after it;
     * true when it is empty, its {@code close} passed too. The caller steps out ({@code depth--}).
     */
    private boolean openIsEmpty(char close) throws NeedsJackson {
        pos++;
        enter();
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    // ---- skipping, validated ------------------------------------------------------------------

    /** Skips one value, checking it as strictly as reading it would. */
    private void skipValue() throws NeedsJackson {
        switch (peek()) {
            case '"' -> {
                pos++;
                skipString();
            }
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            case '[' -> {
                if (!openIsEmpty(']')) {
                    do {
                        skipValue();
                    } while (!endOfElement());
                }
                depth--;
            }
            case '{' -> {
                if (!openIsEmpty('}')) {
                    do {
                        expect('"');
                        scanName();
                        skipWhitespace();
                        expect(':');
                        skipWhitespace();
                        skipValue();
                    } while (!endOfMember());
                }
                depth--;
            }
            default -> scanNumber();
        }
    }

    /** Skips a string's contents after its opening quote, and the closing quote. */
    private void skipString() throws NeedsJackson {
        while (true) {
            skipPlainAscii();
            byte c = next();
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                escape();
            } else if (c < 0) {
                utf8(c, pos); // validated; the code point is not needed
            } else if (c < 0x20) {
                throw NEEDS_JACKSON;
            }
        }
    }

    /**
     * Scans a field name after its opening quote; returns where it ends (its closing quote) and
     * leaves {@link #pos} after that quote. Names with escapes go to Jackson.
     */
    private int scanName() throws NeedsJackson {
        int start = pos;
        while (true) {
            byte c = next();
            if (c == '"') {
                if (pos - 1 - start > MAX_NAME) {
                    throw NEEDS_JACKSON;
                }
                return pos - 1;
            }
            if (c < 0) {
                utf8(c, pos);
            } else if (c < 0x20 || c == '\\') {
                throw NEEDS_JACKSON;
            }
        }
    }

    // ---- scalars ------------------------------------------------------------------------------

    /** A string value into a column: its bytes as they are when it has no escapes. */
    private void string(Column column) throws NeedsJackson, DecodeException {
        int start = ++pos;
        while (true) {
            skipPlainAscii();
            byte c = next();
            if (c == '"') {
                column.appendBytes(b, start, pos - 1 - start);
                return;
            }
            if (c == '\\') {
                pos = start;
                escapedString(column);
                return;
            }
            if (c < 0) {
                utf8(c, pos);
            } else if (c < 0x20) {
                throw NEEDS_JACKSON;
            }
        }
    }

    /**
     * Moves {@link #pos} over the bytes of a string that need no look one by one, eight at a time,
     * onto the first quote, backslash, control byte or non-ASCII byte (each found by the usual "has a
     * zero byte" bit trick), which the caller's loop then reads; near the end of the input it stops
     * short and leaves the last bytes to that loop. The lowest flagged byte of a word is exact: the
     * trick's false flags come only from a borrow, which only a flagged byte below them makes.
     */
    private void skipPlainAscii() {
        while (pos + 8 <= end) {
            long x = (long) LONGS.get(b, pos);
            long quote = x ^ (ONES * '"');
            long backslash = x ^ (ONES * '\\');
            long special = (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - ONES * 0x20) & ~x) | x)
                    & HIGH_BITS;
            if (special != 0) {
                pos += Long.numberOfTrailingZeros(special) >>> 3;
                return;
            }
            pos += 8;
        }
    }

    /**
     * A string with escapes (from its first byte): as UTF-8 when it has no {@code \\u} escape
     * ({@link #escapedUtf8}), else decoded to chars as Jackson decodes it.
     */
    private void escapedString(Column column) throws NeedsJackson, DecodeException {
        int start = pos;
        if (escapedUtf8(column)) {
            return;
        }
        pos = start;
        int n = 0;
        while (true) {
            if (n + 2 > chars.length) {
                if (chars.length >= MAX_ESCAPED) {
                    throw NEEDS_JACKSON;
                }
                chars = java.util.Arrays.copyOf(chars, chars.length * 2);
            }
            byte c = next();
            if (c == '"') {
                column.appendChars(chars, 0, n);
                return;
            }
            if (c == '\\') {
                chars[n++] = escape();
            } else if (c >= 0x20) {
                chars[n++] = (char) c;
            } else if (c < 0) {
                int cp = utf8(c, pos);
                if (cp >= 0x10000) {
                    chars[n++] = Character.highSurrogate(cp);
                    chars[n++] = Character.lowSurrogate(cp);
                } else {
                    chars[n++] = (char) cp;
                }
            } else {
                throw NEEDS_JACKSON;
            }
        }
    }

    /**
     * A string with escapes (from its first byte) unescaped into UTF-8 bytes, the same text the char
     * path decodes, handed to the column as bytes (as unescaped strings are): runs of plain ASCII and
     * valid UTF-8 are copied as they are. False, having written nothing, at a {@code \\u} escape
     * (whose surrogates need the char path) or past {@link #MAX_ESCAPED} bytes.
     */
    private boolean escapedUtf8(Column column) throws NeedsJackson, DecodeException {
        int n = 0;
        while (true) {
            int from = pos;
            skipPlainAscii();
            byte c = next();
            int run = pos - from; // the plain bytes and c, or the first byte of a UTF-8 sequence
            if (c < 0) {
                utf8(c, pos);
                run = pos - from;
            }
            if (n + run > MAX_ESCAPED) {
                return false;
            }
            if (n + run > unescaped.length) {
                unescaped = java.util.Arrays.copyOf(unescaped, Math.max(n + run, unescaped.length * 2));
            }
            System.arraycopy(b, from, unescaped, n, run);
            n += run;
            if (c == '"') {
                column.appendBytes(unescaped, 0, n - 1);
                return true;
            }
            if (c == '\\') {
                byte e = next();
                if (e == 'u') {
                    return false;
                }
                unescaped[n - 1] = (byte) escape(e);
            } else if (c >= 0 && c < 0x20) {
                throw NEEDS_JACKSON;
            }
        }
    }

    /** The character of the escape after a backslash: the ones JSON defines, nothing else. */
    private char escape() throws NeedsJackson {
        return escape(next());
    }

    /** The character of the escape whose letter {@code c} follows a backslash; \\u reads its four digits. */
    private char escape(byte c) throws NeedsJackson {
        switch (c) {
            case '"', '\\', '/' -> {
                return (char) c;
            }
            case 'b' -> {
                return '\b';
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'u' -> {
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(next(), 16);
                    if (d < 0) {
                        throw NEEDS_JACKSON;
                    }
                    v = v << 4 | d;
                }
                return (char) v;
            }
            default -> throw NEEDS_JACKSON;
        }
    }

    /**
     * The code point of the strictly valid UTF-8 sequence whose first byte {@code first} was just
     * read (before {@code at}); moves {@link #pos} past it. Overlong forms, surrogates and code
     * points past U+10FFFF go to Jackson, which takes some of them.
     */
    private int utf8(byte first, int at) throws NeedsJackson {
        int c = first & 0xFF;
        int more;
        int min;
        int max = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
            min = 0x80;
            c &= 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            min = c == 0xE0 ? 0xA0 : 0x80;
            max = c == 0xED ? 0x9F : 0xBF;
            c &= 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            min = c == 0xF0 ? 0x90 : 0x80;
            max = c == 0xF4 ? 0x8F : 0xBF;
            c &= 0x07;
        } else {
            throw NEEDS_JACKSON;
        }
        if (at + more > end) {
            throw NEEDS_JACKSON;
        }
        int second = b[at] & 0xFF;
        if (second < min || second > max) {
            throw NEEDS_JACKSON;
        }
        c = c << 6 | (second & 0x3F);
        for (int i = 1; i < more; i++) {
            int cont = b[at + i] & 0xFF;
            if ((cont & 0xC0) != 0x80) {
                throw NEEDS_JACKSON;
            }
            c = c << 6 | (cont & 0x3F);
        }
        pos = at + more;
        return c;
    }

    private void literal(byte[] word) throws NeedsJackson {
        int n = word.length;
        if (pos + n > end) {
            throw NEEDS_JACKSON;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word[i]) {
                throw NEEDS_JACKSON;
            }
        }
        pos += n;
    }

    /**
     * Checks a number's syntax as JSON defines it (no leading zeros, no '+', digits after '.' and
     * after 'e'); moves {@link #pos} past it and returns where it started, and in {@link #digits}
     * and {@link #fraction} what it found.
     */
    private int scanNumber() throws NeedsJackson {
        int start = pos;
        if (pos < end && b[pos] == '-') {
            pos++;
        }
        int first = pos;
        if (pos >= end) {
            throw NEEDS_JACKSON;
        }
        if (b[pos] == '0') {
            pos++;
        } else if (b[pos] >= '1' && b[pos] <= '9') {
            skipDigits();
        } else {
            throw NEEDS_JACKSON; // NaN, Infinity, '+', '.5', or no value at all: Jackson knows
        }
        integerDigits = pos - first;
        fraction = false;
        if (pos < end && b[pos] == '.') {
            pos++;
            fraction = true;
            if (skipDigits() == 0) {
                throw NEEDS_JACKSON;
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            fraction = true;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (skipDigits() == 0) {
                throw NEEDS_JACKSON;
            }
        }
        if (pos - start > MAX_NUMBER) {
            throw NEEDS_JACKSON;
        }
        return start;
    }

    /** Digits before the point of the number {@link #scanNumber} just read. */
    private int integerDigits;
    /** True when that number has a fraction or an exponent (Jackson's VALUE_NUMBER_FLOAT). */
    private boolean fraction;

    private int skipDigits() {
        int from = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos - from;
    }

    /** A number into a column, through the same call Jackson's path makes. */
    private void number(Column column) throws NeedsJackson, DecodeException {
        int start = scanNumber();
        int length = pos - start;
        if (column.wantsNumberText()) {
            column.appendNumberText(new String(b, start, length, StandardCharsets.ISO_8859_1));
        } else if (column.wantsNumbersAsText()) {
            column.appendString(new String(b, start, length, StandardCharsets.ISO_8859_1));
        } else if (!fraction) {
            if (integerDigits > 18) {
                throw NEEDS_JACKSON; // long or BigInteger: Jackson decides
            }
            boolean negative = b[start] == '-';
            long v = 0;
            for (int i = negative ? start + 1 : start; i < pos; i++) {
                v = v * 10 + (b[i] - '0');
            }
            column.appendLong(negative ? -v : v);
        } else if (column.wantsExactDecimals()) {
            if (!shortDecimal(column, start)) {
                char[] text = new char[length];
                for (int i = 0; i < length; i++) {
                    text[i] = (char) b[start + i];
                }
                column.appendDecimal(new BigDecimal(text));
            }
        } else {
            column.appendDouble(parseDouble(start, pos));
        }
    }

    /**
     * A number of at most 18 digits with a point and no exponent, just scanned from {@code start},
     * into the column as an unscaled long and its count of fraction digits: the same BigDecimal
     * {@code new BigDecimal(text)} makes, without making it. False, having written nothing, for
     * any other number.
     */
    private boolean shortDecimal(Column column, int start) throws DecodeException {
        boolean negative = b[start] == '-';
        int i = negative ? start + 1 : start;
        long unscaled = 0;
        int digits = 0;
        int point = -1;
        for (; i < pos; i++) {
            byte c = b[i];
            if (c == '.') {
                point = i;
            } else if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
            } else {
                return false; // an exponent
            }
        }
        if (digits > 18 || point < 0) {
            return false;
        }
        column.appendDecimal(negative ? -unscaled : unscaled, pos - point - 1);
        return true;
    }

    /**
     * The double nearest to the number text in {@code b[start, stop)}, as {@link Double#parseDouble}
     * gives it: exactly, by one multiplication or division of exact doubles, when the digits and
     * the power of ten fit in a double exactly (at most 15 digits, 10^22); else by
     * {@link EiselLemire} for up to 19 digits; otherwise, or when that cannot decide, through it.
     */
    private double parseDouble(int start, int stop) {
        int i = start;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean point = false;
        for (; i < stop; i++) {
            byte c = b[i];
            if (c == '.') {
                point = true;
                continue;
            }
            if (c == 'e' || c == 'E') {
                break;
            }
            if (mantissa != 0 || c != '0') {
                significant++;
            }
            mantissa = mantissa * 10 + (c - '0');
            if (point) {
                exponent--;
            }
            if (significant > 19) {
                return slowDouble(start, stop);
            }
        }
        if (i < stop) {
            i++;
            boolean negativeExponent = b[i] == '-';
            if (b[i] == '-' || b[i] == '+') {
                i++;
            }
            if (stop - i > 4) {
                return slowDouble(start, stop);
            }
            int e = 0;
            for (; i < stop; i++) {
                e = e * 10 + (b[i] - '0');
            }
            exponent += negativeExponent ? -e : e;
        }
        double v;
        if (mantissa == 0) {
            v = 0;
        } else if (significant <= 15 && exponent >= 0 && exponent < POWERS_OF_TEN.length) {
            v = mantissa * POWERS_OF_TEN[exponent];
        } else if (significant <= 15 && exponent < 0 && -exponent < POWERS_OF_TEN.length) {
            v = mantissa / POWERS_OF_TEN[-exponent];
        } else {
            v = EiselLemire.toDouble(mantissa, exponent, false);
            if (Double.isNaN(v)) {
                return slowDouble(start, stop);
            }
        }
        return negative ? -v : v;
    }

    private double slowDouble(int start, int stop) {
        return Double.parseDouble(new String(b, start, stop - start, StandardCharsets.ISO_8859_1));
    }

    // ---- bytes --------------------------------------------------------------------------------

    /** JSON's whitespace, the four characters Jackson skips, nothing else. */
    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte peek() throws NeedsJackson {
        if (pos >= end) {
            throw NEEDS_JACKSON;
        }
        return b[pos];
    }

    private byte next() throws NeedsJackson {
        if (pos >= end) {
            throw NEEDS_JACKSON;
        }
        return b[pos++];
    }

    private void expect(char c) throws NeedsJackson {
        if (next() != c) {
            throw NEEDS_JACKSON;
        }
    }

    private void ensurePath(int length) {
        if (length > path.length) {
            path = java.util.Arrays.copyOf(path, Math.max(length, path.length * 2));
        }
    }
}
