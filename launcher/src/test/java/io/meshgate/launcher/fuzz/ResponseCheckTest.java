package io.meshgate.launcher.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.launcher.fuzz.Violation.Kind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseCheckTest {

  private static final Target GATEWAY =
      new Target("gateway", URI.create("http://127.0.0.1:1/graphql"));
  private static final FuzzRequest REQUEST =
      new FuzzRequest(
          Category.HTTP_SHAPES,
          "test",
          "POST",
          "application/json",
          null,
          "",
          "{}".getBytes(StandardCharsets.UTF_8));

  private static List<Kind> kinds(int status, String body) {
    return ResponseCheck.check(GATEWAY, 0, REQUEST, status, body.getBytes(StandardCharsets.UTF_8))
        .stream()
        .map(Violation::kind)
        .toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "200|{\"data\":{\"__typename\":\"Query\"}}",
        "200|{\"data\":null,\"errors\":[{\"message\":\"bad\",\"extensions\":{\"code\":\"BAD_USER_INPUT\"}}]}",
        "400|{\"errors\":[{\"message\":\"no query\",\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}",
        "503|{\"errors\":[{\"message\":\"busy\",\"extensions\":{\"code\":\"OVERLOADED\"}}]}",
        "503|''",
        "200|{\"data\":{\"search\":{\"text\":\"javascript.lang.Exception is fine as data\"}}}"
      })
  void acceptsGraphQlAnswersWithCodedErrorsAndLoadShedding(int status, String body) {
    assertThat(kinds(status, body)).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "500|{\"errors\":[{\"message\":\"boom\",\"extensions\":{\"code\":\"BOOM\"}}]}|SERVER_ERROR",
        "502|''|SERVER_ERROR",
        "400|''|NOT_GRAPHQL_RESPONSE",
        "415|{\"timestamp\":\"x\",\"status\":415,\"error\":\"Unsupported Media"
            + " Type\"}|NOT_GRAPHQL_RESPONSE",
        "200|<html>oops</html>|NOT_GRAPHQL_RESPONSE",
        "200|{\"errors\":[{\"message\":\"Invalid"
            + " syntax\",\"extensions\":{\"classification\":\"InvalidSyntax\"}}]}"
            + "|ERROR_WITHOUT_CODE",
        "200|{\"errors\":[{\"message\":\"x\",\"extensions\":{\"code\":\"INTERNAL_ERROR\"}}]}|INTERNAL_ERROR",
        "200|{\"data\":null}|NULL_WITHOUT_ERRORS",
        "200|{\"data\":null,\"errors\":[]}|NULL_WITHOUT_ERRORS",
        "400|{\"errors\":[{\"message\":\"java.lang.NullPointerException\",\"extensions\":{\"code\":\"X\"}}]}"
            + "|LEAKED_EXCEPTION",
        "200|{\"errors\":[{\"message\":\"failed\",\"extensions\":{\"code\":\"X\",\"trace\":\"at"
            + " io.meshgate.A.b(A.java:12)\"}}]}|LEAKED_EXCEPTION"
      })
  void flagsWhatAClientCannotActOn(int status, String body, Kind expected) {
    assertThat(kinds(status, body)).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"errors\":[{\"message\":\"INTERNAL_ERROR for"
            + " 1\",\"extensions\":{\"classification\":\"INTERNAL_ERROR\"}}]}"
      })
  void anUnresolvedSpringExceptionIsBothUncodedAndInternal(String body) {
    assertThat(kinds(200, body)).containsExactly(Kind.ERROR_WITHOUT_CODE, Kind.INTERNAL_ERROR);
  }
}
