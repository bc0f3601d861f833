package io.meshgate.launcher.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshgate.launcher.fuzz.Violation.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer must be, whatever was sent: no 5xx but load shedding's 503, a GraphQL response
 * document ({@code data} or {@code errors}) for every 2xx and 4xx, a code on every error, never an
 * internal error and never a Java exception or stack trace shown to the client.
 */
final class ResponseCheck {

  static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  static {
    // Answers may legitimately be large and deep (an introspection of a big schema); reading them
    // must not fail.
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(100_000)
                .maxStringLength(Integer.MAX_VALUE)
                .maxNumberLength(100_000)
                .build());
  }

  /** A Java exception class name ({@code java.lang.IllegalStateException}) or a stack frame. */
  private static final Pattern JAVA_LEAK =
      Pattern.compile(
          "\\b(?:java|javax|jakarta|sun|com\\.sun|jdk|org\\.springframework|org\\.apache|com\\.fasterxml|graphql"
              + "|io\\.meshgate|org\\.jooq|org\\.postgresql|reactor)\\.(?:[a-z_$][\\w$]*\\.)*[A-Z][\\w$]*"
              + "(?:Exception|Error|Throwable)\\b|\\bjava\\.lang\\.|\\bat"
              + " [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");

  private static final int EXCERPT = 400;
  private static final java.util.Set<String> INTERNAL =
      java.util.Set.of("INTERNAL_ERROR", "INTERNAL_SERVER_ERROR");

  private ResponseCheck() {}

  /** The violations in one answer of {@code status} with {@code body} to {@code request}. */
  static List<Violation> check(
      Target target, int index, FuzzRequest request, int status, byte[] body) {
    List<Violation> found = new ArrayList<>();
    String text = new String(body, StandardCharsets.UTF_8);
    String sent = request.preview(200);
    String answer = status + " " + FuzzRequest.excerpt(text, EXCERPT);
    if (status >= 500 && status != 503) {
      found.add(
          new Violation(
              Kind.SERVER_ERROR, target.name(), Integer.toString(status), index, sent, answer));
    }
    Matcher leak = JAVA_LEAK.matcher(text);
    if (leak.find()) {
      found.add(
          new Violation(
              Kind.LEAKED_EXCEPTION,
              target.name(),
              leak.group().replaceAll("\\(.*", ""),
              index,
              sent,
              answer));
    }
    if (status >= 500) {
      return found;
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      json = null;
    } catch (java.io.IOException e) {
      json = null;
    }
    boolean hasData = json != null && json.isObject() && json.has("data");
    boolean hasErrors = json != null && json.isObject() && json.has("errors");
    if (!hasData && !hasErrors) {
      String shape =
          body.length == 0
              ? "empty body"
              : json == null ? "not JSON" : "JSON without data or errors";
      found.add(
          new Violation(
              Kind.NOT_GRAPHQL_RESPONSE, target.name(), status + " " + shape, index, sent, answer));
      return found;
    }
    JsonNode errors = json.path("errors");
    boolean dataNull = !hasData || json.path("data").isNull();
    if (dataNull && (!errors.isArray() || errors.isEmpty())) {
      found.add(
          new Violation(
              Kind.NULL_WITHOUT_ERRORS,
              target.name(),
              Integer.toString(status),
              index,
              sent,
              answer));
    }
    if (errors.isMissingNode() || errors.isNull()) {
      return found;
    }
    if (!errors.isArray()) {
      found.add(
          new Violation(
              Kind.NOT_GRAPHQL_RESPONSE,
              target.name(),
              status + " errors not a list",
              index,
              sent,
              answer));
      return found;
    }
    for (JsonNode error : errors) {
      JsonNode code = error.path("extensions").path("code");
      String classification = error.path("extensions").path("classification").asText("none");
      String shown = status + " error " + FuzzRequest.excerpt(error.toString(), EXCERPT);
      if (!code.isTextual() || code.asText().isBlank()) {
        found.add(
            new Violation(
                Kind.ERROR_WITHOUT_CODE,
                target.name(),
                "classification " + classification,
                index,
                sent,
                shown));
      }
      // Spring for GraphQL classifies an exception nobody resolved as INTERNAL_ERROR: the same
      // defect, uncoded.
      String internal =
          INTERNAL.contains(code.asText())
              ? "code " + code.asText()
              : INTERNAL.contains(classification) ? "classification " + classification : null;
      if (internal != null) {
        found.add(new Violation(Kind.INTERNAL_ERROR, target.name(), internal, index, sent, shown));
      }
    }
    return dedupe(found);
  }

  /**
   * One violation per class and answer: a thousand uncoded errors in one answer are one finding.
   */
  private static List<Violation> dedupe(List<Violation> found) {
    List<Violation> unique = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Violation v : found) {
      if (!keys.contains(v.classKey())) {
        keys.add(v.classKey());
        unique.add(v);
      }
    }
    return unique;
  }
}
