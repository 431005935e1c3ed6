package io.rxon.common.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PythonValuesTest {

    static Stream<Arguments> equalities() {
        return Stream.of(
                Arguments.of(null, null, true),
                Arguments.of(null, 0, false),
                Arguments.of(0, null, false),
                Arguments.of(1, 1.0, true),
                Arguments.of(true, 1, true),
                Arguments.of(false, 0L, true),
                Arguments.of(true, 2, false),
                Arguments.of(new BigDecimal("8.0"), 8, true),
                Arguments.of(new BigDecimal("0.1"), 0.1, false),
                Arguments.of(0.5f, 0.5, true),
                Arguments.of((short) 3, 3L, true),
                Arguments.of((byte) 3, BigInteger.valueOf(3), true),
                Arguments.of(new AtomicInteger(5), 5, true),
                Arguments.of(Double.NaN, Double.NaN, false),
                Arguments.of(Float.NaN, 1, false),
                Arguments.of(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, true),
                Arguments.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, false),
                Arguments.of(Float.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, true),
                Arguments.of("8", 8, false),
                Arguments.of("a", "a", true),
                Arguments.of(List.of(1, 2), List.of(1.0, 2), true),
                Arguments.of(List.of(1, 2), List.of(2, 1), false),
                Arguments.of(List.of(1), List.of(1, 1), false),
                Arguments.of(Set.of(1, 2), Set.of(2.0, 1), true),
                Arguments.of(Set.of(1, 2), Set.of(1), false),
                Arguments.of(Set.of(1), Set.of(3), false),
                Arguments.of(Set.of(1), List.of(1), false),
                Arguments.of(Map.of("a", 1), Map.of("a", true), true),
                Arguments.of(Map.of("a", 1), Map.of("a", 2), false),
                Arguments.of(Map.of("a", 1), Map.of("b", 1), false),
                Arguments.of(Map.of("a", 1), Map.of("a", 1, "b", 2), false),
                Arguments.of(Map.of("a", 1), 1, false));
    }

    @ParameterizedTest(name = "{0} == {1} -> {2}")
    @MethodSource("equalities")
    void shouldCompareLikePythonWhenAskedForEquality(Object left, Object right, boolean expected) {
        // given the two values of a row

        // when
        boolean equal = PythonValues.pythonEquals(left, right);

        // then
        assertThat(equal).isEqualTo(expected);
    }

    static Stream<Arguments> orderings() {
        BigInteger huge = BigInteger.TEN.pow(400);
        return Stream.of(
                Arguments.of(Double.POSITIVE_INFINITY, 1e308, true),
                Arguments.of(5, Double.POSITIVE_INFINITY, false),
                Arguments.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, true),
                Arguments.of(Double.NEGATIVE_INFINITY, -1e308, false),
                Arguments.of(Double.NaN, 1, false),
                Arguments.of(1, Double.NaN, false),
                Arguments.of(huge, 1e308, true),
                Arguments.of(huge, Double.POSITIVE_INFINITY, false),
                Arguments.of(huge, huge.add(BigInteger.ONE), false),
                Arguments.of(9_007_199_254_740_993L, 9_007_199_254_740_992.0, true),
                Arguments.of(9_007_199_254_740_992.0, 9_007_199_254_740_993L, false),
                Arguments.of(new BigDecimal("16.5"), 16, true),
                Arguments.of(true, false, true),
                Arguments.of(false, true, false));
    }

    @ParameterizedTest(name = "{0} >= {1} -> {2}")
    @MethodSource("orderings")
    void shouldOrderNumbersExactlyWhenComparingMixedTypes(Object left, Object right, boolean expected) {
        // given the two numbers of a row

        // when
        boolean greaterOrEqual = PythonValues.greaterOrEqual(left, right);

        // then
        assertThat(greaterOrEqual).isEqualTo(expected);
    }

    @Test
    void shouldFindElementsByPythonEqualityWhenTestingMembership() {
        // given
        List<Object> offered = List.of("fp16", 8, Map.of("bits", 4));

        // when / then
        assertThat(PythonValues.contains(offered, 8.0)).isTrue();
        assertThat(PythonValues.contains(offered, Map.of("bits", 4.0))).isTrue();
        assertThat(PythonValues.contains(offered, "8")).isFalse();
        assertThat(PythonValues.intersects(offered, List.of("int8", true))).isFalse();
        assertThat(PythonValues.intersects(offered, List.of("int8", "fp16"))).isTrue();
        assertThat(PythonValues.intersects(List.of(), offered)).isFalse();
    }

    @Test
    void shouldCountBooleansAsNumbersWhenClassifyingValues() {
        // given / when / then
        assertThat(PythonValues.isNumber(true)).isTrue();
        assertThat(PythonValues.isNumber(3)).isTrue();
        assertThat(PythonValues.isNumber("3")).isFalse();
        assertThat(PythonValues.isNumber(null)).isFalse();
    }
}
