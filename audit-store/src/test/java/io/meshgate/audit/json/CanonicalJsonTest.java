package io.meshgate.audit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String canonical(String json) throws Exception {
    return new String(CanonicalJson.encode(JSON.readTree(json)), StandardCharsets.UTF_8);
  }

  @Test
  void encodesTheRfc8785SampleOfSection3_2_2() throws Exception {
    String input =
        """
        {
          "numbers": [333333333.33333329, 1E30, 4.50,
                      2e-3, 0.000000000000000000000000001],
          "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
          "literals": [null, true, false]
        }
        """;

    assertThat(canonical(input))
        .isEqualTo(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  void sortsMembersByUtf16CodeUnitsAsInSection3_2_3() throws Exception {
    String input =
        """
        {
          "\\u20ac": "Euro Sign",
          "\\r": "Carriage Return",
          "\\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\\ud83d\\ude00": "Emoji: Grinning Face",
          "\\u0080": "Control",
          "\\u00f6": "Latin Small Letter O With Diaeresis"
        }
        """;

    assertThat(canonical(input))
        .isEqualTo(
            "{\"\\r"
                + "\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small"
                + " Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"\uD83D\uDE00\":\"Emoji:"
                + " Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2"
  })
  void formatsNumbersAsAppendixBOfRfc8785(String bits, String expected) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

    assertThat(CanonicalJson.formatNumber(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
  void refusesNanAndInfinities(String bits) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

    assertThatThrownBy(() -> CanonicalJson.formatNumber(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no canonical form");
  }

  @Test
  void printsIntegersBeyondTwoToThe53AsTheDoubleTheyRoundTo() {
    assertThat(CanonicalJson.encodeToString(JsonNodeFactory.instance.numberNode(9007199254740993L)))
        .isEqualTo("9007199254740992");
    assertThat(CanonicalJson.encodeToString(JsonNodeFactory.instance.numberNode(Long.MAX_VALUE)))
        .isEqualTo("9223372036854776000");
  }

  @Test
  void escapesControlCharactersWithShortFormsWhereTheyExistAndLowerCaseHexOtherwise() {
    String text = "\b\f\n\r\t\u0000\u001f\u007f\"\\/";

    assertThat(CanonicalJson.encodeToString(TextNode.valueOf(text)))
        .isEqualTo("\"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\\\"\\\\/\"");
  }

  @Test
  void refusesLoneSurrogates() {
    JsonNode lone = TextNode.valueOf("a\uD800b");

    assertThatThrownBy(() -> CanonicalJson.encode(lone))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate");
  }

  @Test
  void writesLongStringsOfEscapesWithoutOverflowingItsBuffer() {
    String text = "\u0001".repeat(1000) + "€".repeat(1000) + "\uD83D\uDE00".repeat(500);

    byte[] encoded = CanonicalJson.encode(TextNode.valueOf(text));

    assertThat(new String(encoded, StandardCharsets.UTF_8))
        .isEqualTo(
            "\"" + "\\u0001".repeat(1000) + "€".repeat(1000) + "\uD83D\uDE00".repeat(500) + "\"");
  }
}
