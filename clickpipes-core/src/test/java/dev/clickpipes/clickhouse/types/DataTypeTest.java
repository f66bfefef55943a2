package dev.clickpipes.clickhouse.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataTypeTest {

    @Test
    void parsesNestedTypesToAnyDepth() {
        DataType t = DataType.parse("Array(Nullable(DateTime64(3, 'Europe/Berlin')))");
        assertThat(t.name()).isEqualTo("Array");
        DataType dt = t.argument(0).argument(0);
        assertThat(dt.name()).isEqualTo("DateTime64");
        assertThat(dt.parameters()).containsExactly("3", "Europe/Berlin");
        assertThat(dt.text()).isEqualTo("DateTime64(3, 'Europe/Berlin')");
        assertThat(t.text()).isEqualTo("Array(Nullable(DateTime64(3, 'Europe/Berlin')))");

        DataType deep = DataType.parse("Array(Array(Array(Array(Array(UInt8)))))");
        for (int i = 0; i < 5; i++) {
            deep = deep.argument(0);
        }
        assertThat(deep.name()).isEqualTo("UInt8");
    }

    @Test
    void parsesNamedTupleElementsEnumsAndMaps() {
        DataType tuple = DataType.parse("Tuple(a UInt8, `b c` Map(String, Array(Int32)), String)");
        assertThat(tuple.arguments()).extracting(DataType::fieldName).containsExactly("a", "b c", null);
        assertThat(tuple.argument(1).text()).isEqualTo("Map(String, Array(Int32))");
        assertThat(tuple.argument(1).argument(1).argument(0).name()).isEqualTo("Int32");

        DataType e = DataType.parse("Enum8('a' = 1, 'it''s' = -2, 'x\\'y' = 3)");
        assertThat(e.parameters()).hasSize(3);
        assertThat(e.parameters().get(0)).isEqualTo("a = 1");
    }

    @Test
    void keepsJsonSettingsAsWritten() {
        DataType json = DataType.parse("JSON(max_dynamic_paths = 10, a.b UInt32, SKIP c)");
        assertThat(json.name()).isEqualTo("JSON");
        assertThat(json.parameters()).isEqualTo(List.of("max_dynamic_paths = 10, a.b UInt32, SKIP c"));
    }

    @Test
    void readsTheValueTypeOfASimpleAggregateFunction() {
        DataType sum = DataType.parse("SimpleAggregateFunction(sum, UInt64)");
        assertThat(sum.parameters()).containsExactly("sum");
        assertThat(sum.argument(0).text()).isEqualTo("UInt64");
        DataType q = DataType.parse("SimpleAggregateFunction(quantiles(0.5, 0.9), Array(Nullable(Float64)))");
        assertThat(q.parameters()).containsExactly("quantiles(0.5, 0.9)");
        assertThat(q.argument(0).argument(0).text()).isEqualTo("Nullable(Float64)");
        assertThatThrownBy(() -> DataType.parse("SimpleAggregateFunction(sum)"))
                .hasMessageContaining("expected ', type' after the function");
    }

    @Test
    void rejectsMalformedTypesWithThePosition() {
        assertThatThrownBy(() -> DataType.parse("Array(UInt8")).hasMessageContaining("Array(UInt8")
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> DataType.parse("")).hasMessageContaining("expected a type name");
    }

    @Test
    void unsupportedTypesAreNamedWhenAColumnIsMade() {
        assertThatThrownBy(() -> Columns.create("v", DataType.parse("Array(Variant(String, Array(JSON)))"),
                java.time.ZoneOffset.UTC))
                .hasMessageContaining("`v`").hasMessageContaining("Variant(String, Array(JSON))")
                .hasMessageContaining("scalar types and of Array, Tuple and Map of them");
        assertThatThrownBy(() -> Columns.create("v", DataType.parse("Variant(Array(LowCardinality(Int32)), String)"),
                java.time.ZoneOffset.UTC)).hasMessageContaining("not Array(LowCardinality(Int32))");
        assertThatThrownBy(() -> Columns.create("t", DataType.parse("AggregateFunction(sum, UInt64)"),
                java.time.ZoneOffset.UTC)).hasMessageContaining("`t`").hasMessageContaining("not supported");
    }

    @Test
    void variantsAreSentInTheEnginesNameOrder() {
        Column v = Columns.create("v", DataType.parse("Variant(UInt64, String, Bool)"), java.time.ZoneOffset.UTC);
        assertThat(v.nativeTypeName()).isEqualTo("Variant(Bool, String, UInt64)");
        assertThat(Columns.create("d", DataType.parse("Dynamic"), java.time.ZoneOffset.UTC).nativeTypeName())
                .isEqualTo("Variant(Bool, Date, DateTime, Float64, Int64, String, UInt64)");
    }

    @Test
    void variantsTryTheirTypesInTheEnginesOrder() {
        List<DataType> types = List.of(DataType.parse("String"), DataType.parse("Float64"), DataType.parse("Int64"),
                DataType.parse("Date"), DataType.parse("Bool"), DataType.parse("LowCardinality(String)"),
                DataType.parse("Decimal(9, 2)"), DataType.parse("UUID"), DataType.parse("Time"));
        int[] order = VariantOrder.of(types);
        assertThat(java.util.Arrays.stream(order).mapToObj(i -> types.get(i).text()).toList()).containsExactly(
                "UUID", "Bool", "Int64", "Decimal(9, 2)", "Float64", "Date", "LowCardinality(String)", "String", "Time");
    }

    @Test
    void compositeVariantsTryDeeperThenHigherPrioritiesFirst() {
        List<DataType> types = java.util.stream.Stream.of("String", "Array(Int64)", "Tuple(a Int64)", "Map(String, String)",
                "Array(Array(Int64))", "Array(Nullable(Int64))", "Int64").map(DataType::parse).toList();
        int[] order = VariantOrder.of(types);
        assertThat(java.util.Arrays.stream(order).mapToObj(i -> types.get(i).text()).toList()).containsExactly(
                "Array(Array(Int64))", "Array(Nullable(Int64))", "Array(Int64)", "Tuple(a Int64)", "Map(String, String)",
                "Int64", "String");
    }

    @Test
    void nonFiniteNumbersIntoVariantOrDynamicAreRefusedNamingTheColumn() {
        for (String type : List.of("Variant(String, Float64)", "Dynamic")) {
            Column c = Columns.create("v", DataType.parse(type), java.time.ZoneOffset.UTC);
            for (String text : List.of("NaN", "Infinity", "-Infinity")) {
                assertThatThrownBy(() -> c.appendNumberText(text)).as(type + " " + text)
                        .isInstanceOf(ValueConversionException.class).hasMessageContaining("`v`")
                        .hasMessageContaining("not a finite number");
            }
        }
    }

    @Test
    void depthOutranksPriority() {
        // Tuple(Int64, Int64, Int64) sums a higher priority, but Array(Array(String)) nests deeper.
        List<DataType> types = List.of(DataType.parse("Tuple(Int64, Int64, Int64)"), DataType.parse("Array(Array(String))"));
        assertThat(VariantOrder.ranks(types).get(0).priority()).isGreaterThan(VariantOrder.ranks(types).get(1).priority());
        assertThat(VariantOrder.of(types)).containsExactly(1, 0);
    }

    @Test
    void geoTypesAreWrittenAsTheirTuplesAndArrays() {
        assertThat(Columns.create("p", DataType.parse("Point"), java.time.ZoneOffset.UTC).nativeTypeName())
                .isEqualTo("Tuple(Float64, Float64)");
        assertThat(Columns.create("m", DataType.parse("MultiPolygon"), java.time.ZoneOffset.UTC).nativeTypeName())
                .isEqualTo("Array(Array(Array(Tuple(Float64, Float64))))");
    }
}
