package dev.clickpipes.clickhouse.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What {@link LiteralTypeInference} does without an engine at hand: its bound on nesting and the CSV/TSV difference on
 * tuples. The types themselves are checked against the engine's own read in the sink module's TypeOracleTest.
 */
class LiteralTypeInferenceTest {

    @Test
    void aFieldOfManyBracketsIsRefusedByNameInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> LiteralTypeInference.typeOf(deep, false))
                .isInstanceOf(LiteralTypeInference.Refused.class).hasMessageContaining("nested more than 100 deep");
        String justDeepEnough = "[".repeat(LiteralTypeInference.MAX_DEPTH) + "1" + "]".repeat(LiteralTypeInference.MAX_DEPTH);
        assertThat(DataType.parse(typeOf(justDeepEnough, false)).text())
                .isEqualTo("Array(".repeat(LiteralTypeInference.MAX_DEPTH) + "Int64" + ")".repeat(LiteralTypeInference.MAX_DEPTH));
    }

    @Test
    void aTupleIsATupleInTsvAndInsideAnArrayButItsTextAsAStringAtTheTopOfCsv() throws Exception {
        assertThat(LiteralTypeInference.typeOf("(1,'x')", true)).isEqualTo("Tuple(Int64, String)");
        assertThat(LiteralTypeInference.typeOf("(1,'x')", false)).isEqualTo("String");
        assertThat(LiteralTypeInference.typeOf("[(1,'x')]", false)).isEqualTo("Array(Tuple(Int64, String))");
    }

    private static String typeOf(String text, boolean tsv) {
        try {
            return LiteralTypeInference.typeOf(text, tsv);
        } catch (LiteralTypeInference.Refused e) {
            throw new AssertionError(e);
        }
    }
}
