package io.meshgate.product.distribution;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PlaceOrderInput} that passed validation, normalized (trimmed, currency upper-case), with
 * its total computed. Validation happens before any write, so invalid input never reaches the
 * database.
 */
record ValidOrder(
    UUID customerId, UUID warehouseId, String currency, List<Line> lines, BigDecimal total) {

  static final int MAX_LINES = 100;

  /** The largest value a {@code numeric(12,2)} column holds. */
  static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

  private static final Pattern PRICE = Pattern.compile("^\\d{1,10}(\\.\\d{1,2})?$");
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());

  /** A validated line. */
  record Line(String sku, int quantity, BigDecimal unitPrice) {}

  /** Validates {@code input}; the first problem found is thrown, naming its field. */
  static ValidOrder of(PlaceOrderInput input) {
    UUID customerId = parseId("input.customerId", required("input.customerId", input.customerId()));
    UUID warehouseId =
        parseId("input.warehouseId", required("input.warehouseId", input.warehouseId()));
    String currency = required("input.currency", input.currency()).toUpperCase(Locale.ROOT);
    if (!CURRENCIES.contains(currency)) {
      throw new InvalidInputException(
          "input.currency",
          "'" + input.currency() + "' is not an ISO 4217 currency code (e.g. EUR, USD, JPY)");
    }
    List<PlaceOrderInput.LineInput> given = input.lines() == null ? List.of() : input.lines();
    if (given.isEmpty() || given.size() > MAX_LINES) {
      throw new InvalidInputException(
          "input.lines",
          "must hold between 1 and " + MAX_LINES + " lines (got " + given.size() + ")");
    }
    List<Line> lines = new ArrayList<>(given.size());
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < given.size(); i++) {
      Line line = line("input.lines[" + i + "]", given.get(i));
      lines.add(line);
      total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
    }
    if (total.compareTo(MAX_AMOUNT) > 0) {
      throw new InvalidInputException(
          "input.lines",
          "the order total " + total.toPlainString() + " exceeds " + MAX_AMOUNT.toPlainString());
    }
    return new ValidOrder(customerId, warehouseId, currency, List.copyOf(lines), total.setScale(2));
  }

  private static Line line(String path, PlaceOrderInput.LineInput input) {
    String sku = required(path + ".sku", input.sku());
    if (sku.length() > 64) {
      throw new InvalidInputException(
          path + ".sku", "must be at most 64 characters (got " + sku.length() + ")");
    }
    Integer quantity = input.quantity();
    if (quantity == null || quantity < 1) {
      throw new InvalidInputException(
          path + ".quantity", "must be at least 1 (got " + quantity + ")");
    }
    String price = required(path + ".unitPrice", input.unitPrice());
    if (!PRICE.matcher(price).matches()) {
      throw new InvalidInputException(
          path + ".unitPrice",
          "'" + price + "' is not a non-negative amount with at most two decimals (e.g. 19.99)");
    }
    return new Line(sku, quantity, new BigDecimal(price).setScale(2));
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
}
