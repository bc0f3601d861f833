package io.meshgate.product.finance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.runtime.subgraph.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidFinanceTest {

  private static final String ID = UUID.randomUUID().toString();

  @Test
  void normalizesKindCurrencyAndAmount() {
    ValidFinance.Transaction tx =
        ValidFinance.of(new PostTransactionInput(ID, "credit", "12.5", " ref "));
    assertThat(tx.kind()).isEqualTo("CREDIT");
    assertThat(tx.amount().toPlainString()).isEqualTo("12.50");
    assertThat(tx.reference()).isEqualTo("ref");
    assertThat(ValidFinance.of(new OpenAccountInput(ID, " usd ")).currency()).isEqualTo("USD");
  }

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        Arguments.of(new PostTransactionInput("42", "DEBIT", "1", "r"), "input.accountId"),
        Arguments.of(new PostTransactionInput(ID, "REFUND", "1", "r"), "input.kind"),
        Arguments.of(new PostTransactionInput(ID, "DEBIT", "-5.00", "r"), "input.amount"),
        Arguments.of(new PostTransactionInput(ID, "DEBIT", "0.00", "r"), "input.amount"),
        Arguments.of(new PostTransactionInput(ID, "DEBIT", "1.999", "r"), "input.amount"),
        Arguments.of(new PostTransactionInput(ID, "DEBIT", "1", " "), "input.reference"));
  }

  @ParameterizedTest
  @MethodSource("invalidInputs")
  void invalidTransactionNamesTheField(PostTransactionInput input, String field) {
    assertThatThrownBy(() -> ValidFinance.of(input))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void invalidAccountNamesTheField() {
    assertThatThrownBy(() -> ValidFinance.of(new OpenAccountInput(ID, "EURO")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("input.currency"));
    assertThatThrownBy(() -> ValidFinance.of(new OpenAccountInput(null, "EUR")))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("input.customerId"));
  }

  @Test
  void sampleHoldsOneAccountPerSampleCustomerWithTransactions() {
    SampleAccounts.Sample sample =
        SampleAccounts.generate(200, new Random(1), OffsetDateTime.now(ZoneOffset.UTC));
    assertThat(sample.accounts()).hasSize(200);
    assertThat(sample.accounts().get(0).getCustomerId())
        .isEqualTo(
            UUID.nameUUIDFromBytes("meshgate-sample-customer-0".getBytes(StandardCharsets.UTF_8)));
    assertThat(sample.transactions().size()).isBetween(400, 600);
    assertThat(sample.transactions())
        .allSatisfy(t -> assertThat(t.getAmount().signum()).isPositive());
  }
}
