package dev.clickpipes.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The statement rewriting and body checks behind {@link EmbeddedClickHouse#insert}; no engine needed. */
class EmbeddedClickHouseInsertSqlTest {

    private static final Path FILE = Path.of("/tmp/spool/insert-1.bin");

    @Test
    void infileGoesBeforeFormat() {
        assertThat(InsertStatements.withInfile("INSERT INTO db.t (a, b) FORMAT Native", FILE))
                .isEqualTo("INSERT INTO db.t (a, b) FROM INFILE '/tmp/spool/insert-1.bin' FORMAT Native");
        assertThat(InsertStatements.withInfile("insert into t format RowBinary", FILE))
                .isEqualTo("insert into t FROM INFILE '/tmp/spool/insert-1.bin' format RowBinary");
    }

    @Test
    void infileGoesBeforeSettings() {
        assertThat(InsertStatements.withInfile("INSERT INTO t SETTINGS a = 1 FORMAT Native", FILE))
                .isEqualTo("INSERT INTO t FROM INFILE '/tmp/spool/insert-1.bin' SETTINGS a = 1 FORMAT Native");
    }

    @Test
    void keywordsInsideNamesQuotesAndParenthesesAreIgnored() {
        assertThat(InsertStatements.withInfile(
                "INSERT INTO format.settings (`format`, \"settings\", x) FORMAT Native", FILE))
                .isEqualTo("INSERT INTO format.settings (`format`, \"settings\", x)"
                        + " FROM INFILE '/tmp/spool/insert-1.bin' FORMAT Native");
        assertThat(InsertStatements.withInfile("INSERT INTO `FORMAT` /* FORMAT */ FORMAT Native", FILE))
                .isEqualTo("INSERT INTO `FORMAT` /* FORMAT */ FROM INFILE '/tmp/spool/insert-1.bin' FORMAT Native");
    }

    @Test
    void pathIsQuotedAsAStringLiteral() {
        assertThat(InsertStatements.withInfile("INSERT INTO t FORMAT Native", Path.of("/tmp/it's\\here")))
                .isEqualTo("INSERT INTO t FROM INFILE '/tmp/it\\'s\\\\here' FORMAT Native");
    }

    @Test
    void statementWithoutFormatIsRefused() {
        assertThatThrownBy(() -> InsertStatements.withInfile("INSERT INTO t VALUES", FILE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no FORMAT clause");
    }

    @Test
    void blankLineDetection() {
        assertThat(InsertStatements.hasBlankLine(bytes("a\nb\n"), 4)).isFalse();
        assertThat(InsertStatements.hasBlankLine(bytes("a\n\nb"), 4)).isTrue();
        // The separator newline before the body counts.
        assertThat(InsertStatements.hasBlankLine(bytes("\nab"), 3)).isTrue();
        // Only the first length bytes count.
        assertThat(InsertStatements.hasBlankLine(bytes("ab\n\n"), 3)).isFalse();
        assertThat(InsertStatements.hasBlankLine(new byte[0], 0)).isFalse();
    }

    @Test
    void largeBodiesGoThroughTheFile() {
        byte[] big = new byte[InsertStatements.INLINE_LIMIT + 1];
        assertThat(InsertStatements.sendInline(big, InsertStatements.INLINE_LIMIT)).isTrue();
        assertThat(InsertStatements.sendInline(big, big.length)).isFalse();
        assertThat(InsertStatements.sendInline(bytes("a\n\nb"), 4)).isFalse();
    }

    @Test
    void dropSyncLosesItsSync() {
        assertThat(EmbeddedClickHouse.withoutDropSync("DROP TABLE db.t SYNC")).isEqualTo("DROP TABLE db.t");
        assertThat(EmbeddedClickHouse.withoutDropSync("drop database if exists `x` sync ;\n"))
                .isEqualTo("drop database if exists `x`");
        assertThat(EmbeddedClickHouse.withoutDropSync("DROP TABLE sync")).isEqualTo("DROP TABLE sync");
        assertThat(EmbeddedClickHouse.withoutDropSync("SELECT 'DROP TABLE t SYNC'"))
                .isEqualTo("SELECT 'DROP TABLE t SYNC'");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
