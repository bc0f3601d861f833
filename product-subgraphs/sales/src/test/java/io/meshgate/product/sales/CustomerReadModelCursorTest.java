package io.meshgate.product.sales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshgate.runtime.subgraph.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomerReadModelCursorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff"
      })
  void decodingAnEncodedCursorGivesBackTheId(String id) {
    UUID uuid = UUID.fromString(id);

    String cursor = CustomerReadModel.encodeCursor(uuid);

    assertThat(CustomerReadModel.decodeCursor(cursor)).isEqualTo(uuid);
    assertThat(cursor).as("URL-safe, unpadded").matches("[A-Za-z0-9_-]+");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not a cursor",
        "!!!!",
        "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
        "Y3VzdG9tZXI6", // "customer:"
        "Y3VzdG9tZXI6bm90LWEtdXVpZA", // "customer:not-a-uuid"
        "b3JkZXI6M2YxYzBlNmEtOGE1NS00YzhmLTlhMWUtMmI3ZDZmMGM5ZTQx"
      }) // "order:3f1c0e6a-..."
  void rejectsCursorItDidNotIssueNamingAfter(String cursor) {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> CustomerReadModel.decodeCursor(cursor));

    assertThat(e).as("cursor '%s' (%s)", cursor, decoded(cursor)).isNotNull();
    assertThat(e.field()).isEqualTo("after");
    assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
  }

  private static String decoded(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "not base64";
    }
  }
}
