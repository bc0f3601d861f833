package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the GraphQL endpoint reads as a request document, and what it says about the rest. */
class GraphQlRequestFilterTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"query\":\"{ __typename }\"}",
        "{\"query\":\"query($a: Int) { __typename"
            + " }\",\"variables\":{\"a\":1},\"operationName\":null,\"extensions\":{}}",
        " {\"query\":\"{ x }\",\"variables\":null,\"operationName\":\"Q\",\"other\":[1,2]} \n"
      })
  void readsAGraphQlRequestDocument(String body) {
    assertThat(GraphQlRequestFilter.shapeProblem(bytes(body))).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| the request body is empty",
        "null| must be a JSON object, not null",
        "[{\"query\":\"{ x }\"}]| a batch",
        "\"{ x }\"| must be a JSON object, not a string",
        "{\"query\":\"{ x }\"| not valid JSON",
        "{\"query\": {}}| \"query\" must be a string, not an object",
        "{\"query\":\"{ x }\",\"variables\":[]}| \"variables\" must be an object or null, not an"
            + " array",
        "{\"query\":\"{ x }\",\"variables\":\"{}\"}| \"variables\" must be an object or null, not a"
            + " string",
        "{\"query\":\"{ x }\",\"operationName\":1}| \"operationName\" must be a string or null, not"
            + " a number",
        "{\"variables\":{}}| has no \"query\"",
        "{\"query\":\"{ x }\"} {}| more after its JSON object"
      })
  void saysWhatIsWrongWithABodyThatIsNoRequestDocument(String body, String problem) {
    assertThat(GraphQlRequestFilter.shapeProblem(bytes(body))).contains(problem);
  }

  @org.junit.jupiter.api.Test
  void refusesJsonNestedDeeperThanSpringReads() {
    String deep =
        "{\"query\":\"{ x }\",\"variables\":{\"v\":"
            + "[".repeat(200_000)
            + "]".repeat(200_000)
            + "}}";

    assertThat(GraphQlRequestFilter.shapeProblem(bytes(deep)))
        .contains("nested deeper than 500 levels");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
