package io.meshgate.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Holds every answer against the expected one, byte for byte, and describes the first few wrong
 * answers and failures loudly on stderr (with the first wrong body saved to a file), so a fast but
 * wrong gateway cannot pass unnoticed.
 */
final class AnswerCheck {

  /** Wrong answers and failures described in full; later ones are only counted. */
  private static final int DESCRIBED = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] expected;
  private final @Nullable JsonNode expectedJson;
  private final Path folder;
  private int describedMismatches;
  private int describedFailures;

  AnswerCheck(byte[] expected, Path folder) {
    this.expected = expected;
    this.expectedJson = parse(expected, 0, expected.length);
    this.folder = folder;
  }

  int expectedLength() {
    return expected.length;
  }

  /**
   * Whether the answer is HTTP 200 with exactly the expected body. Cheap: one vectorized
   * comparison.
   */
  boolean isCorrect(LoadClient.Answer answer) {
    return answer.status() == 200
        && Arrays.equals(
            expected,
            0,
            expected.length,
            answer.bytes(),
            answer.offset(),
            answer.offset() + answer.length());
  }

  /** Describes a wrong answer, if it is among the first few. */
  void reportWrong(String phase, LoadClient.Answer answer) {
    synchronized (this) {
      if (answer.status() == 200
          ? describedMismatches++ >= DESCRIBED
          : describedFailures++ >= DESCRIBED) {
        return;
      }
    }
    byte[] body =
        Arrays.copyOfRange(answer.bytes(), answer.offset(), answer.offset() + answer.length());
    StringBuilder text = new StringBuilder();
    if (answer.status() != 200) {
      text.append(
          String.format(
              Locale.ROOT,
              "!!! [%s] gateway answered HTTP %d (%d bytes): %s%n",
              phase,
              answer.status(),
              body.length,
              snippet(body, 0, 400)));
    } else {
      int at = Arrays.mismatch(expected, body);
      JsonNode json = parse(body, 0, body.length);
      String kind =
          json == null
              ? "not JSON"
              : json.equals(expectedJson)
                  ? "the same JSON, formatted differently"
                  : "different JSON";
      text.append(
          String.format(
              Locale.ROOT,
              "!!! MISMATCH [%s]: HTTP 200 with %d bytes, expected %d; %s; first difference at byte"
                  + " %d%n!!!   expected ...%s...%n!!!   actual   ...%s...%n",
              phase,
              body.length,
              expected.length,
              kind,
              at,
              snippet(expected, at - 60, at + 60),
              snippet(body, at - 60, at + 60)));
    }
    Path saved = save(body);
    if (saved != null) {
      text.append("!!!   whole body in ").append(saved).append(System.lineSeparator());
    }
    System.err.print(text);
    System.err.flush();
  }

  /** Describes a failed exchange (no complete HTTP answer), if it is among the first few. */
  void reportFailure(String phase, Exception failure) {
    synchronized (this) {
      if (describedFailures++ >= DESCRIBED) {
        return;
      }
    }
    System.err.printf(Locale.ROOT, "!!! [%s] request failed: %s%n", phase, failure);
    System.err.flush();
  }

  private @Nullable Path save(byte[] body) {
    try {
      Files.createDirectories(folder);
      return Files.write(Files.createTempFile(folder, "wrong-answer-", ".json"), body);
    } catch (IOException e) {
      return null;
    }
  }

  private static @Nullable JsonNode parse(byte[] bytes, int offset, int length) {
    try {
      return JSON.readTree(bytes, offset, length);
    } catch (IOException e) {
      return null;
    }
  }

  private static String snippet(byte[] bytes, int from, int to) {
    int start = Math.max(0, from);
    int end = Math.min(bytes.length, Math.max(start, to));
    return new String(bytes, start, end - start, StandardCharsets.UTF_8).replace("\n", "\\n");
  }
}
