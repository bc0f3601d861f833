package io.meshgate.product.finance;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Validation of the finance mutations' input, before any write: invalid input never reaches the
 * database. The first problem found is thrown, naming its field.
 */
final class ValidFinance {

  /** The largest value a {@code numeric(12,2)} column holds. */
  static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

  static final int MAX_REFERENCE = 500;

  private static final Pattern AMOUNT = Pattern.compile("^\\d{1,10}(\\.\\d{1,2})?$");
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());

  /** An account to open, validated and normalized (currency upper-case). */
  record Account(UUID customerId, String currency) {}

  /** A transaction to post, validated; its currency is the account's. */
  record Transaction(UUID accountId, String kind, BigDecimal amount, String reference) {}

  static Account of(OpenAccountInput input) {
    UUID customerId = parseId("input.customerId", required("input.customerId", input.customerId()));
    return new Account(customerId, currency("input.currency", input.currency()));
  }

  static Transaction of(PostTransactionInput input) {
    UUID accountId = parseId("input.accountId", required("input.accountId", input.accountId()));
    String kind = required("input.kind", input.kind()).toUpperCase(Locale.ROOT);
    if (!kind.equals("DEBIT") && !kind.equals("CREDIT")) {
      throw new InvalidInputException(
          "input.kind", "must be DEBIT or CREDIT (got '" + input.kind() + "')");
    }
    BigDecimal amount = amount("input.amount", input.amount());
    String reference = required("input.reference", input.reference());
    if (reference.length() > MAX_REFERENCE) {
      throw new InvalidInputException(
          "input.reference",
          "must be at most " + MAX_REFERENCE + " characters (got " + reference.length() + ")");
    }
    return new Transaction(accountId, kind, amount, reference);
  }

  /** A positive amount with at most two decimals that fits {@code numeric(12,2)}. */
  static BigDecimal amount(String field, @Nullable String value) {
    String text = required(field, value);
    if (!AMOUNT.matcher(text).matches()) {
      throw new InvalidInputException(
          field, "'" + text + "' is not a positive amount with at most two decimals (e.g. 19.99)");
    }
    BigDecimal amount = new BigDecimal(text).setScale(2);
    if (amount.signum() <= 0) {
      throw new InvalidInputException(field, "must be greater than 0 (got " + text + ")");
    }
    if (amount.compareTo(MAX_AMOUNT) > 0) {
      throw new InvalidInputException(
          field, "must be at most " + MAX_AMOUNT.toPlainString() + " (got " + text + ")");
    }
    return amount;
  }

  static String currency(String field, @Nullable String value) {
    String currency = required(field, value).toUpperCase(Locale.ROOT);
    if (!CURRENCIES.contains(currency)) {
      throw new InvalidInputException(
          field, "'" + value + "' is not an ISO 4217 currency code (e.g. EUR, USD, JPY)");
    }
    return currency;
  }

  /** Parses an id, naming {@code field} when it is not a UUID. */
  static UUID parseId(String field, String id) {
    return Ids.parse(field, id, "id");
  }

  private static String required(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "is required and must not be blank");
    }
    return value.trim();
  }

  private ValidFinance() {}
}
