package dev.clickpipes.source.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where CSV records end in bytes: newlines inside quoted fields belong to the record. */
class CsvRecordEndTest {

    private final CsvRecordEnd comma = new CsvRecordEnd(',');

    private int end(String text, boolean eof) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return comma.find(b, 0, b.length, eof);
    }

    @Test
    void aPlainRecordEndsAtItsNewline() {
        assertThat(end("1,abc,2\n3,d,4\n", false)).isEqualTo(7);
        assertThat(end("1,abc,2", false)).isEqualTo(-1);
    }

    @Test
    void newlinesAndDelimitersInsideQuotesAreData() {
        assertThat(end("1,\"a\nb, c\",2\nnext\n", false)).isEqualTo(12);
        assertThat(end("1,\"a\r\nb\"\r\nnext", false)).isEqualTo(9);
    }

    @Test
    void aDoubledQuoteDoesNotCloseTheField() {
        assertThat(end("1,\"say \"\"hi\"\"\n!\",2\n", false)).isEqualTo(18);
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsData() {
        // ClickHouse reads mid"quote as text: the record ends at the first newline.
        assertThat(end("1,mid\"quote,2\n3,\"x\ny\",4\n", false)).isEqualTo(13);
    }

    @Test
    void aQuoteAtTheEndOfTheBytesWaitsForTheNext() {
        // The closing quote, or the first of a doubled one: only the next byte tells.
        assertThat(end("1,\"abc\"", false)).isEqualTo(-1);
        assertThat(end("1,\"abc\"", true)).isEqualTo(-1);
        assertThat(end("1,\"a\nb", false)).isEqualTo(-1);
    }

    @Test
    void anUnclosedQuoteEndsTheRecordAtItsFirstNewlineAtTheEnd() {
        assertThat(end("1,\"never closed\n2,b\n3,c\n", true)).isEqualTo(15);
    }

    @Test
    void anotherDelimiterStartsFieldsToo() {
        CsvRecordEnd semicolon = new CsvRecordEnd(';');
        byte[] b = "1;\"a\nb\";2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(semicolon.find(b, 0, b.length, false)).isEqualTo(9);
        byte[] c = "1,\"a\nb\";2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(semicolon.find(c, 0, c.length, false)).isEqualTo(4); // with ';' the quote is mid-field
    }
}
