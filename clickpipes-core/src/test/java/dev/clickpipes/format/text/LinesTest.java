package dev.clickpipes.format.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time newline search against a plain loop, at every position and range. */
class LinesTest {

    @Test
    void findsTheFirstNewlineInTheRangeWhereverItIs() {
        for (int at = 0; at < 21; at++) {
            byte[] b = new byte[21];
            Arrays.fill(b, (byte) 'x');
            b[at] = '\n';
            for (int from = 0; from < 21; from++) {
                for (int to = from; to <= 21; to++) {
                    int expected = at >= from && at < to ? at : -1;
                    assertThat(Lines.indexOfNewline(b, from, to)).as("newline at %d in [%d, %d)", at, from, to)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
