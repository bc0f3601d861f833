package io.meshgate.product.sales;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CustomerInput} that passed validation, normalized (trimmed, country upper-case).
 * Validation happens before any write, so invalid input never reaches the database.
 */
record ValidCustomer(@Nullable UUID id, String name, String email, String country, String segment) {

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  static final Set<String> SEGMENTS =
      Set.of("CONSUMER", "SMALL_BUSINESS", "ENTERPRISE", "PUBLIC_SECTOR");

  /** Validates {@code input}; the first problem found is thrown, naming its field. */
  static ValidCustomer of(CustomerInput input) {
    UUID id = input.id() == null || input.id().isBlank() ? null : parseId("input.id", input.id());
    String name = required("input.name", input.name());
    if (name.length() > 200) {
      throw new InvalidInputException(
          "input.name", "must be at most 200 characters (got " + name.length() + ")");
    }
    String email = required("input.email", input.email());
    if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
      throw new InvalidInputException(
          "input.email", "'" + email + "' is not a valid e-mail address");
    }
    String country = required("input.country", input.country()).toUpperCase(Locale.ROOT);
    if (!COUNTRIES.contains(country)) {
      throw new InvalidInputException(
          "input.country",
          "'" + input.country() + "' is not an ISO 3166-1 alpha-2 country code (e.g. DE, US, JP)");
    }
    String segment = required("input.segment", input.segment());
    if (!SEGMENTS.contains(segment)) {
      throw new InvalidInputException(
          "input.segment", "'" + segment + "' is not one of " + SEGMENTS);
    }
    return new ValidCustomer(id, name, email, country, segment);
  }

  /** Parses a customer id, naming {@code field} when it is not a UUID. */
  static UUID parseId(String field, String id) {
    return Ids.parse(field, id, "customer id");
  }

  private static String required(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "is required and must not be blank");
    }
    return value.trim();
  }
}
