package io.meshgate.audit.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.erdtman.jcs.JsonCanonicalizer;

/** Our encoder against the RFC co-author's reference implementation, for arbitrary JSON. */
class CanonicalJsonProperties {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 500)
  void encodesLikeTheReferenceImplementation(@ForAll("json") JsonNode value) throws Exception {
    // The reference implementation takes only objects and arrays at the top level.
    String reference = new JsonCanonicalizer("[" + value + "]").getEncodedString();

    assertThat("[" + new String(CanonicalJson.encode(value), StandardCharsets.UTF_8) + "]")
        .isEqualTo(reference);
  }

  @Property(tries = 2000)
  void formatsEveryFiniteDoubleLikeTheReferenceImplementation(@ForAll("finiteDoubles") double value)
      throws Exception {
    String reference = new JsonCanonicalizer("[" + value + "]").getEncodedString();

    assertThat("[" + CanonicalJson.formatNumber(value) + "]").isEqualTo(reference);
  }

  @Property(tries = 300)
  void isIdempotent(@ForAll("json") JsonNode value) throws Exception {
    byte[] once = CanonicalJson.encode(value);

    assertThat(CanonicalJson.encode(JSON.readTree(once))).isEqualTo(once);
  }

  /**
   * Subnormal doubles are left out: the reference implementation formats them wrongly (1e-320 comes
   * out as "0.000...0001e-178"); {@link #formatsSubnormalDoublesAsEcmaScriptDoes} checks ours
   * against ECMAScript's own output instead.
   */
  @Provide
  Arbitrary<Double> finiteDoubles() {
    return Arbitraries.longs()
        .map(Double::longBitsToDouble)
        .filter(Double::isFinite)
        .filter(v -> v == 0 || Math.abs(v) >= Double.MIN_NORMAL);
  }

  @Example
  void formatsSubnormalDoublesAsEcmaScriptDoes() {
    // What Number.prototype.toString gives in ECMAScript (RFC 8785 section 3.2.2.3).
    assertThat(CanonicalJson.formatNumber(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(CanonicalJson.formatNumber(1e-320)).isEqualTo("1e-320");
    assertThat(CanonicalJson.formatNumber(-2.5e-310)).isEqualTo("-2.5e-310");
    assertThat(CanonicalJson.formatNumber(Double.MIN_NORMAL)).isEqualTo("2.2250738585072014e-308");
  }

  @Provide
  Arbitrary<JsonNode> json() {
    return value(3);
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> scalar =
        Arbitraries.oneOf(
            text().map(NODES::textNode),
            finiteDoubles().map(NODES::numberNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.integers().between(-1000, 1000).map(NODES::numberNode),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.just(NODES.nullNode()));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<JsonNode> arrays =
        value(depth - 1).list().ofMaxSize(4).map(CanonicalJsonProperties::array);
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(text(), value(depth - 1))
            .ofMaxSize(5)
            .map(CanonicalJsonProperties::object);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(1, arrays),
        net.jqwik.api.Tuple.of(2, objects));
  }

  private static Arbitrary<String> text() {
    Arbitrary<String> bmp =
        Arbitraries.strings()
            .withCharRange('\u0000', '\u00ff')
            .withCharRange('\u0100', '\ud7ff')
            .withCharRange('\ue000', '\uffff')
            .ofMaxLength(12);
    Arbitrary<String> astral = Arbitraries.of("\uD83D\uDE00", "\uD834\uDD1E", "a\uDBFF\uDFFFz");
    return Arbitraries.oneOf(bmp, bmp, astral, Arbitraries.strings().alpha().ofMaxLength(6));
  }

  private static JsonNode array(List<JsonNode> elements) {
    ArrayNode array = NODES.arrayNode();
    elements.forEach(array::add);
    return array;
  }

  private static JsonNode object(Map<String, JsonNode> members) {
    ObjectNode object = NODES.objectNode();
    members.forEach(object::set);
    return object;
  }
}
