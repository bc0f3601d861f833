package io.meshgate.product.sales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshgate.runtime.subgraph.InvalidInputException;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidCustomerTest {

  private static final String ID = "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41";
  private static final CustomerInput VALID =
      new CustomerInput(ID, "Ada Lovelace", "ada@example.org", "GB", "ENTERPRISE");

  @Test
  void acceptsValidInputUnchanged() {
    assertThat(ValidCustomer.of(VALID))
        .isEqualTo(
            new ValidCustomer(
                UUID.fromString(ID), "Ada Lovelace", "ada@example.org", "GB", "ENTERPRISE"));
  }

  @Test
  void normalizesByTrimmingAndUpperCasingCountry() {
    CustomerInput input =
        new CustomerInput(
            "  " + ID + " ", "  Ada Lovelace\t", " ada@example.org ", " gb ", " ENTERPRISE ");

    assertThat(ValidCustomer.of(input))
        .isEqualTo(
            new ValidCustomer(
                UUID.fromString(ID), "Ada Lovelace", "ada@example.org", "GB", "ENTERPRISE"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void treatsBlankIdAsNewCustomer(String id) {
    assertThat(
            ValidCustomer.of(new CustomerInput(id, "Ada", "ada@example.org", "GB", "CONSUMER"))
                .id())
        .isNull();
  }

  @Test
  void treatsMissingIdAsNewCustomer() {
    assertThat(
            ValidCustomer.of(new CustomerInput(null, "Ada", "ada@example.org", "GB", "CONSUMER"))
                .id())
        .isNull();
  }

  @Test
  void acceptsNameOfExactly200Characters() {
    String name = "n".repeat(200);

    assertThat(
            ValidCustomer.of(new CustomerInput(null, name, "ada@example.org", "GB", "CONSUMER"))
                .name())
        .isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CONSUMER", "SMALL_BUSINESS", "ENTERPRISE", "PUBLIC_SECTOR"})
  void acceptsEverySegmentOfTheContract(String segment) {
    assertThat(
            ValidCustomer.of(new CustomerInput(null, "Ada", "ada@example.org", "DE", segment))
                .segment())
        .isEqualTo(segment);
  }

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        invalid(
            "missing name",
            new CustomerInput(null, null, "ada@example.org", "GB", "CONSUMER"),
            "input.name"),
        invalid(
            "blank name",
            new CustomerInput(null, " \t ", "ada@example.org", "GB", "CONSUMER"),
            "input.name"),
        invalid(
            "name of 201 characters",
            new CustomerInput(null, "n".repeat(201), "ada@example.org", "GB", "CONSUMER"),
            "input.name"),
        invalid(
            "missing email", new CustomerInput(null, "Ada", null, "GB", "CONSUMER"), "input.email"),
        invalid(
            "email without @",
            new CustomerInput(null, "Ada", "ada.example.org", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email without domain dot",
            new CustomerInput(null, "Ada", "ada@localhost", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email with two @",
            new CustomerInput(null, "Ada", "ada@@example.org", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email without local part",
            new CustomerInput(null, "Ada", "@example.org", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email with inner space",
            new CustomerInput(null, "Ada", "ada lovelace@example.org", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email ending in a dot",
            new CustomerInput(null, "Ada", "ada@example.", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "email longer than 320",
            new CustomerInput(null, "Ada", "a".repeat(310) + "@example.org", "GB", "CONSUMER"),
            "input.email"),
        invalid(
            "missing country",
            new CustomerInput(null, "Ada", "ada@example.org", null, "CONSUMER"),
            "input.country"),
        invalid(
            "unknown country XX",
            new CustomerInput(null, "Ada", "ada@example.org", "XX", "CONSUMER"),
            "input.country"),
        invalid(
            "alpha-3 country",
            new CustomerInput(null, "Ada", "ada@example.org", "GBR", "CONSUMER"),
            "input.country"),
        invalid(
            "missing segment",
            new CustomerInput(null, "Ada", "ada@example.org", "GB", null),
            "input.segment"),
        invalid(
            "unknown segment",
            new CustomerInput(null, "Ada", "ada@example.org", "GB", "RETAIL"),
            "input.segment"),
        invalid(
            "segment in lower case",
            new CustomerInput(null, "Ada", "ada@example.org", "GB", "consumer"),
            "input.segment"),
        invalid(
            "id not a UUID",
            new CustomerInput("customer-42", "Ada", "ada@example.org", "GB", "CONSUMER"),
            "input.id"),
        invalid(
            "id in UUID's lenient short form",
            new CustomerInput("1-1-1-1-1", "Ada", "ada@example.org", "GB", "CONSUMER"),
            "input.id"),
        invalid(
            "id with extra digit",
            new CustomerInput(ID + "0", "Ada", "ada@example.org", "GB", "CONSUMER"),
            "input.id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidInputs")
  void rejectsInvalidInputNamingItsField(String description, CustomerInput input, String field) {
    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> ValidCustomer.of(input));

    assertThat(e).as(description).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
    assertThat(e).hasMessageStartingWith(field + ": ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
        "3F1C0E6A-8A55-4C8F-9A1E-2B7D6F0C9E41",
        "00000000-0000-0000-0000-000000000000",
        " 9b2d4a10-0c1e-4f3a-8d5b-6e7f8091a2b3 "
      })
  void parseIdAcceptsCanonicalUuids(String id) {
    assertThat(ValidCustomer.parseId("id", id)).isEqualTo(UUID.fromString(id.trim()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "42",
        "1-1-1-1-1",
        "3f1c0e6a8a554c8f9a1e2b7d6f0c9e41",
        "zf1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41"
      })
  void parseIdRejectsAnythingElseNamingTheGivenField(String id) {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> ValidCustomer.parseId("customer.id", id));

    assertThat(e).isNotNull();
    assertThat(e.field()).isEqualTo("customer.id");
  }

  private static Arguments invalid(String description, CustomerInput input, String field) {
    return Arguments.of(description, input, field);
  }
}
