package dev.clickpipes.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clickpipes.format.Decoders;
import dev.clickpipes.testkit.ClickHouseExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Variant elements inside TSV array literals ({@code [1,'a',NULL]} into {@code Array(Variant(Int64, String))}),
 * alone, nested in arrays, maps and tuples beside a Nullable, and a Variant that itself holds an array. Each
 * field goes through our TSV pipe and through the engine's own {@code INSERT ... FORMAT TabSeparated}
 * ({@link TypeOracle}); both must accept or refuse it alike and read back the same values with the same
 * {@code variantType()} for every element. No difference is excused: the engine's reading is the expected one.
 */
class TsvVariantArrayTest {

    @RegisterExtension
    static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

    /**
     * Fields and what they check. Besides plain elements: a quoted number or empty string is the engine's String, a bare
     * word or a fraction it refuses; a backslash in a quoted element is the literal's escape (TSV's escape is not undone
     * first: {@code \'} is a quote in the string, {@code \\'} a backslash and the closing quote); and a Tuple
     * literal, which the engine reads in TSV. Before 2026-12-07 our pipe read the last eight otherwise (found by this test).
     */
    static Stream<Arguments> fields() {
        return Stream.of(
                Arguments.of("Array(Variant(Int64, String))", List.of("[1,'a',NULL]", "[]", "[NULL]", "[NULL,NULL]",
                        "[-9223372036854775808,9223372036854775807]", "[ 1 , 'b' ]", "['NULL']", "['x y','z']",
                        "[1,'a'", "1", "['1',2]", "['']", "[1.5]", "[abc]", "['it\\'s',-0]", "['it\\\\'s',-0]")),
                Arguments.of("Array(Array(Variant(Int64, String)))", List.of("[[1,'a'],[],[NULL]]", "[]", "[[]]",
                        "[['x',7],[NULL,'y']]")),
                Arguments.of("Array(Variant(Array(Int64), String))", List.of("[[1,2],'x',NULL]", "[[],'']",
                        "[NULL]")),
                Arguments.of("Map(String, Array(Variant(Int64, String)))", List.of("{'k':[1,'a',NULL]}", "{}",
                        "{'k':[],'l':['z',-3]}")),
                Arguments.of("Tuple(a Array(Variant(Int64, String)), b Nullable(String))", List.of("([1,'a',NULL],NULL)",
                        "([],'x')")));
    }

    @ParameterizedTest(name = "TSV {0}")
    @MethodSource("fields")
    void arrayVariantFieldsReadBackAsTheEngineReadsThem(String type, List<String> values) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(i + "\t" + values.get(i));
        }
        TypeOracle oracle = new TypeOracle(CLICKHOUSE.engine(), CLICKHOUSE.database().name(), "");
        assertThat(oracle.differences(type, values, records, Decoders.tsv(), "TabSeparated", Map.of(), Map.of()))
                .as("differences from the engine's own TabSeparated reading").isEmpty();
    }
}
