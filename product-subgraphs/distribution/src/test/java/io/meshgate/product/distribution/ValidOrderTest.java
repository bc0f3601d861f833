package io.meshgate.product.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.runtime.subgraph.InvalidInputException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidOrderTest {

  private static final String CUSTOMER = UUID.randomUUID().toString();
  private static final String WAREHOUSE = UUID.randomUUID().toString();
  private static final PlaceOrderInput.LineInput LINE =
      new PlaceOrderInput.LineInput("PEN-GEL", 1, "1.00");

  @Test
  void computesTheTotalFromTheLinesAndNormalizesTheCurrency() {
    ValidOrder order =
        ValidOrder.of(
            new PlaceOrderInput(
                CUSTOMER,
                WAREHOUSE,
                " eur ",
                List.of(
                    new PlaceOrderInput.LineInput("LAMP-LED", 3, "19.99"),
                    new PlaceOrderInput.LineInput(" DESK ", 1, "450"))));
    assertThat(order.total().toPlainString()).isEqualTo("509.97");
    assertThat(order.currency()).isEqualTo("EUR");
    assertThat(order.lines().get(1).sku()).isEqualTo("DESK");
  }

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        Arguments.of(
            new PlaceOrderInput(null, WAREHOUSE, "EUR", List.of(LINE)), "input.customerId"),
        Arguments.of(
            new PlaceOrderInput(CUSTOMER, "nope", "EUR", List.of(LINE)), "input.warehouseId"),
        Arguments.of(
            new PlaceOrderInput(CUSTOMER, WAREHOUSE, "EURO", List.of(LINE)), "input.currency"),
        Arguments.of(new PlaceOrderInput(CUSTOMER, WAREHOUSE, "EUR", List.of()), "input.lines"),
        Arguments.of(
            new PlaceOrderInput(
                CUSTOMER,
                WAREHOUSE,
                "EUR",
                List.of(LINE, new PlaceOrderInput.LineInput("A", 0, "1"))),
            "input.lines[1].quantity"),
        Arguments.of(
            new PlaceOrderInput(
                CUSTOMER, WAREHOUSE, "EUR", List.of(new PlaceOrderInput.LineInput("A", 1, "-1"))),
            "input.lines[0].unitPrice"),
        Arguments.of(
            new PlaceOrderInput(
                CUSTOMER,
                WAREHOUSE,
                "EUR",
                List.of(new PlaceOrderInput.LineInput("A", 1_000, "99999999.99"))),
            "input.lines"));
  }

  @ParameterizedTest
  @MethodSource("invalidInputs")
  void rejectsInvalidInputNamingTheField(PlaceOrderInput input, String field) {
    assertThatThrownBy(() -> ValidOrder.of(input))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
