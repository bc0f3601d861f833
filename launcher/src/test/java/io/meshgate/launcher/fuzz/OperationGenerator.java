package io.meshgate.launcher.fuzz;

import io.meshgate.launcher.fuzz.SchemaModel.Arg;
import io.meshgate.launcher.fuzz.SchemaModel.Field;
import io.meshgate.launcher.fuzz.SchemaModel.Type;
import io.meshgate.launcher.fuzz.SchemaModel.TypeRef;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Draws adversarial requests. Operation {@code i} of seed {@code s} depends only on {@code (s, i)},
 * the endpoint list and the endpoints' schemas, so any one of them can be generated again on its
 * own to replay a failure, whatever the concurrency of the run that found it. Only queries are
 * built from the schema: a run against a live mesh must not write anything that could succeed.
 */
public final class OperationGenerator {

  private final long seed;
  private final List<Target> targets;
  private final Map<String, SchemaModel> schemas;
  private final Map<String, Cycle> cycles = new LinkedHashMap<>();
  private final int totalWeight;

  /**
   * @param schemas each target's schema by target name; a target without one gets schema-free
   *     operations
   */
  public OperationGenerator(long seed, List<Target> targets, Map<String, SchemaModel> schemas) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no endpoint to fuzz");
    }
    this.seed = seed;
    this.targets = List.copyOf(targets);
    this.schemas = Map.copyOf(schemas);
    for (Target t : targets) {
      cycles.put(t.name(), Cycle.find(schema(t)));
    }
    int sum = 0;
    for (Category c : Category.values()) {
      sum += c.weight();
    }
    totalWeight = sum;
  }

  /** The endpoint operation {@code index} goes to: every endpoint in turn. */
  public Target target(int index) {
    return targets.get(Math.floorMod(index, targets.size()));
  }

  /** Operation {@code index} of this generator's seed. */
  public FuzzRequest generate(int index) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, index));
    Target target = target(index);
    int pick = rnd.nextInt(totalWeight);
    Category category = Category.values()[0];
    for (Category c : Category.values()) {
      if (pick < c.weight()) {
        category = c;
        break;
      }
      pick -= c.weight();
    }
    return new Draw(rnd, schema(target), cycles.get(target.name())).request(category);
  }

  private SchemaModel schema(Target target) {
    SchemaModel schema = schemas.get(target.name());
    return schema == null ? SchemaModel.empty() : schema;
  }

  /** How the envelope writes a JSON string, for tests. */
  static byte[] jsonStringForTest(String text) {
    return Draw.jsonString(text, false).getBytes(StandardCharsets.UTF_8);
  }

  /** SplitMix64 of seed and index: neighbouring indexes get unrelated streams. */
  static long mix(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A path from the query root to a type that leads back to itself through object fields, e.g.
   * {@code customer -> orders -> customer -> orders ...}: how a valid query gets arbitrarily deep.
   */
  record Cycle(List<Field> toStart, List<Field> loop) {

    static @Nullable Cycle find(SchemaModel schema) {
      List<Field> path = new ArrayList<>();
      List<String> types = new ArrayList<>();
      types.add(schema.queryType());
      return search(schema, schema.query(), path, types);
    }

    private static @Nullable Cycle search(
        SchemaModel schema, Type type, List<Field> path, List<String> types) {
      if (path.size() >= 6) {
        return null;
      }
      for (Field f : type.fields()) {
        Type next = schema.type(f.type().named());
        if (f.name().startsWith("_")
            || next == null
            || next.kind().equals("UNION")
            || !next.composite()) {
          continue;
        }
        int seen = types.indexOf(next.name());
        if (seen > 0) {
          List<Field> all = new ArrayList<>(path);
          all.add(f);
          return new Cycle(
              List.copyOf(all.subList(0, seen)), List.copyOf(all.subList(seen, all.size())));
        }
        if (seen == 0) {
          continue;
        }
        path.add(f);
        types.add(next.name());
        Cycle found = search(schema, next, path, types);
        path.removeLast();
        types.removeLast();
        if (found != null) {
          return found;
        }
      }
      return null;
    }
  }

  /**
   * A GraphQL request before it is put on the wire: variables as raw JSON text, so it can hold
   * anything.
   */
  private record Payload(
      String variant, String query, @Nullable String variables, @Nullable String operationName) {

    Payload(String variant, String query) {
      this(variant, query, null, null);
    }
  }

  /** Everything one operation draws, from one random stream. */
  private static final class Draw {

    private static final String[] LEAF_WORDS = {
      "query",
      "mutation",
      "subscription",
      "fragment",
      "on",
      "true",
      "false",
      "null",
      "__typename",
      "__schema",
      "__type",
      "{",
      "}",
      "(",
      ")",
      "[",
      "]",
      ":",
      "!",
      "$",
      "@",
      "...",
      "=",
      "|",
      "&",
      ",",
      "\"s\"",
      "\"\"\"b\"\"\"",
      "123",
      "-1.5e3",
      "#c\n",
      "\n",
      "\t",
      "\\",
      "\"",
      "$v",
      "@skip",
      "@include(if: true)",
      "input",
      "type",
      "schema",
      "extend",
      "directive",
      "enum",
      "scalar",
      "union"
    };
    private static final String[] HOSTILE_STRINGS = {
      "",
      " ",
      "a",
      "customer",
      "*",
      "?",
      "**",
      "a*",
      "*a",
      "\\",
      "\"",
      "'",
      "' OR 1=1 --",
      "a AND (b OR",
      "field:value",
      "name:/[a-/",
      "/.*/",
      "~",
      "a~2",
      "\"unclosed",
      "(((((",
      "[a TO",
      "{!",
      "%",
      "%_%",
      "PT15M",
      "P-1D",
      "PT0S",
      "PT999999999H",
      "P1000000Y",
      "not-a-duration",
      "2026-13-45T99:99:99Z",
      "0000-00-00",
      "sales/table/sales.customers",
      "sales/topic/x#after.email",
      "../../../etc/passwd",
      "${jndi:ldap://127.0.0.1/x}",
      "<script>alert(1)</script>",
      "NaN",
      "-0",
      "null",
      "\u00e9\u00e8\u00ea",
      "\u202egnp.exe",
      "\ud83d\ude00\ud83d\udca9",
      "\u200b\u200b",
      "\ufeff",
      "\u0000",
      "a\u0000b",
      "\u0007\u001b[31m",
      "\ud800",
      "\udfff",
      "x\ud800y",
      "\uffff",
      "\u0085\u2028\u2029"
    };
    private static final String[] HUGE_NUMBERS = {
      "1e400",
      "-1e400",
      "1E+400",
      "1e-400",
      "0.1e-400",
      "1234567890123456789012345678901234567890",
      "-1234567890123456789012345678901234567890",
      "2147483648",
      "-2147483649",
      "9223372036854775808",
      "-9223372036854775809",
      "18446744073709551616",
      "1.7976931348623157e309",
      "4.9e-325",
      "0.000000000000000000000000000000000000000000000001",
      "123456789012345678901234567890.123456789012345678901234567890",
      "1e2147483648",
      "1e-2147483649",
      "-0",
      "0.0",
      "1e99999999999"
    };
    private static final String[] INVALID_NUMBER_TOKENS = {
      "NaN",
      "Infinity",
      "-Infinity",
      "00",
      "01",
      "1e",
      "1.",
      ".5",
      "+1",
      "0x10",
      "1_000",
      "--1",
      "1e+",
      "0b1"
    };
    private static final String[] JSON_WRONG_VALUES = {
      "\"abc\"",
      "\"\"",
      "{}",
      "{\"a\":1}",
      "[]",
      "[1,2]",
      "[[1]]",
      "true",
      "false",
      "null",
      "1.5",
      "-1",
      "1e400",
      "1234567890123456789012345678901234567890",
      "\"1e400\"",
      "\"\\u0000\"",
      "\"\\ud800\"",
      "{\"__proto__\":{}}",
      "[{}]",
      "0"
    };
    private static final int[] SPECIAL_INTS = {
      0, 1, -1, 2, 100, 2147483647, -2147483648, 1000000, -1000000
    };

    private final SplittableRandom rnd;
    private final SchemaModel schema;
    private final @Nullable Cycle cycle;

    Draw(SplittableRandom rnd, SchemaModel schema, @Nullable Cycle cycle) {
      this.rnd = rnd;
      this.schema = schema;
      this.cycle = cycle;
    }

    FuzzRequest request(Category category) {
      return switch (category) {
        case RANDOM_BYTES -> randomBytes();
        case HTTP_SHAPES -> httpShape();
        case GARBAGE_QUERY -> wrap(category, garbageQuery());
        case DEEP_NESTING -> deepNesting();
        case FRAGMENT_CYCLE -> wrap(category, fragmentCycle());
        case FRAGMENT_BOMB -> wrap(category, fragmentBomb());
        case ALIAS_FLOOD -> wrap(category, aliasFlood());
        case FIELD_FLOOD -> wrap(category, fieldFlood());
        case ROOT_FIELDS -> wrap(category, rootFields());
        case INTROSPECTION_FLOOD -> wrap(category, introspectionFlood());
        case WRONG_VARIABLES -> wrongVariables();
        case UNICODE -> unicode();
        case HUGE_NUMBERS -> wrap(category, hugeNumbers());
        case HUGE_STRINGS -> hugeStrings();
        case SCHEMA_AWARE -> wrap(category, schemaAware());
      };
    }

    // ---- the categories -------------------------------------------------------------------------

    private FuzzRequest randomBytes() {
      int size = rnd.nextInt(10) == 0 ? rnd.nextInt(1 << 20) : rnd.nextInt(4096);
      byte[] body = new byte[size];
      rnd.nextBytes(body);
      String[] types = {
        "application/json", "application/graphql", "application/octet-stream", "text/plain"
      };
      String type = rnd.nextInt(5) == 0 ? null : types[rnd.nextInt(types.length)];
      return new FuzzRequest(
          Category.RANDOM_BYTES, size + " random bytes", "POST", type, accept(), "", body);
    }

    private Payload garbageQuery() {
      int kind = rnd.nextInt(3);
      if (kind == 0) {
        String valid =
            "query Q"
                + rnd.nextInt(100)
                + " "
                + selectionFrom(schema.query(), 0, 1 + rnd.nextInt(4));
        StringBuilder mutated = new StringBuilder(valid);
        int edits = 1 + rnd.nextInt(5);
        for (int i = 0; i < edits && !mutated.isEmpty(); i++) {
          int at = rnd.nextInt(mutated.length());
          switch (rnd.nextInt(3)) {
            case 0 -> mutated.deleteCharAt(at);
            case 1 -> mutated.insert(at, LEAF_WORDS[rnd.nextInt(LEAF_WORDS.length)]);
            default -> mutated.setCharAt(at, (char) (0x20 + rnd.nextInt(0x5f)));
          }
        }
        return new Payload("mutated valid query", mutated.toString());
      }
      if (kind == 1) {
        String valid = selectionFrom(schema.query(), 0, 1 + rnd.nextInt(4));
        return new Payload(
            "truncated valid query", valid.substring(0, rnd.nextInt(Math.max(1, valid.length()))));
      }
      StringBuilder soup = new StringBuilder();
      int tokens = 1 + rnd.nextInt(300);
      for (int i = 0; i < tokens; i++) {
        soup.append(rnd.nextInt(4) == 0 ? name() : LEAF_WORDS[rnd.nextInt(LEAF_WORDS.length)])
            .append(' ');
      }
      return new Payload("token soup", soup.toString());
    }

    private FuzzRequest deepNesting() {
      int depth = logUniform(50, 5_000);
      int kind = rnd.nextInt(9);
      Payload payload =
          switch (kind) {
            case 0 -> cycle != null ? deepCycle(depth) : deepSameField(depth);
            case 1 -> deepOfType(depth);
            case 2 -> deepSameField(depth);
            case 3 -> deepValue(depth, "[", "]", "deep list value");
            case 4 -> deepValue(depth, "{a: ", "}", "deep object value");
            case 5 -> deepInlineFragments(depth);
            case 6 ->
                new Payload(
                    "deep JSON variables",
                    "query($v: [[Int]]) { __typename }",
                    "{\"v\":" + "[".repeat(depth * 10) + "1" + "]".repeat(depth * 10) + "}",
                    null);
            case 7 -> new Payload("unclosed deep selection", "{" + " a {".repeat(depth));
            default ->
                new Payload(
                    "deep parentheses",
                    "{ __typename(" + "(".repeat(depth) + ")".repeat(depth) + ") }");
          };
      return wrap(
          Category.DEEP_NESTING,
          new Payload(
              payload.variant() + ", depth " + depth,
              payload.query(),
              payload.variables(),
              payload.operationName()));
    }

    private Payload deepCycle(int depth) {
      Cycle c = cycle;
      if (c == null) {
        return deepSameField(depth);
      }
      StringBuilder q = new StringBuilder("query Deep { ");
      int open = 0;
      for (Field f : c.toStart()) {
        q.append(f.name()).append(arguments(f)).append(" { ");
        open++;
      }
      for (int level = 0; open < depth; level++) {
        Field f = c.loop().get(level % c.loop().size());
        q.append(f.name()).append(arguments(f)).append(" { ");
        open++;
      }
      q.append("__typename").append(" }".repeat(open)).append(" }");
      return new Payload(
          "schema cycle " + c.loop().stream().map(Field::name).toList(), q.toString());
    }

    private Payload deepOfType(int depth) {
      return new Payload(
          "introspection ofType chain",
          "{ __schema { types { fields { type {"
              + " ofType {".repeat(depth)
              + " name"
              + " }".repeat(depth)
              + " } } } } }");
    }

    private Payload deepSameField(int depth) {
      String field = rnd.nextBoolean() ? name() : randomField(schema.query()).name();
      return new Payload(
          "same field nested",
          "{" + (" " + field + " {").repeat(depth) + " __typename" + " }".repeat(depth) + " }");
    }

    private Payload deepValue(int depth, String open, String close, String variant) {
      Field f = fieldWithArgs(schema.query());
      String arg =
          f == null || f.args().isEmpty() ? "x" : f.args().get(rnd.nextInt(f.args().size())).name();
      String field = f == null ? "__typename" : f.name();
      String selection = f != null && schema.isComposite(f.type()) ? " { __typename }" : "";
      return new Payload(
          variant,
          "{ "
              + field
              + "("
              + arg
              + ": "
              + open.repeat(depth)
              + "1"
              + close.repeat(depth)
              + ")"
              + selection
              + " }");
    }

    private Payload deepInlineFragments(int depth) {
      String on = schema.queryType();
      return new Payload(
          "nested inline fragments",
          "{" + (" ... on " + on + " {").repeat(depth) + " __typename" + " }".repeat(depth) + " }");
    }

    private Payload fragmentCycle() {
      String on = schema.queryType();
      return switch (rnd.nextInt(5)) {
        case 0 ->
            new Payload(
                "A <-> B",
                "query { ...A } fragment A on "
                    + on
                    + " { ...B } fragment B on "
                    + on
                    + " { ...A }");
        case 1 ->
            new Payload("self", "query { ...A } fragment A on " + on + " { __typename ...A }");
        case 2 -> {
          int n = 3 + rnd.nextInt(48);
          StringBuilder q = new StringBuilder("query { ...F0 }");
          for (int i = 0; i < n; i++) {
            q.append(" fragment F")
                .append(i)
                .append(" on ")
                .append(on)
                .append(" { __typename ...F")
                .append((i + 1) % n)
                .append(" }");
          }
          yield new Payload("cycle of " + n, q.toString());
        }
        case 3 ->
            new Payload(
                "unused cycle",
                "query { __typename } fragment A on "
                    + on
                    + " { ...B } fragment B on "
                    + on
                    + " { ...A }");
        default ->
            new Payload(
                "cycle through inline fragments",
                "query { ...A } fragment A on "
                    + on
                    + " { ... on "
                    + on
                    + " { ...B } } fragment B on "
                    + on
                    + " { ... on "
                    + on
                    + " { ...A } }");
      };
    }

    private Payload fragmentBomb() {
      int levels = 20 + rnd.nextInt(11);
      int spreads = rnd.nextInt(4) == 0 ? 3 : 2;
      String on = schema.queryType();
      String leaf = "__typename";
      if (rnd.nextBoolean()) {
        Field f = randomField(schema.query());
        if (!f.name().equals("__typename")) {
          leaf = f.name() + arguments(f) + (schema.isComposite(f.type()) ? " { __typename }" : "");
        }
      }
      StringBuilder q = new StringBuilder("query Bomb { ...F0 }");
      for (int i = 0; i < levels; i++) {
        q.append(" fragment F").append(i).append(" on ").append(on).append(" {");
        for (int s = 0; s < spreads; s++) {
          q.append(" ...F").append(i + 1);
        }
        q.append(" }");
      }
      q.append(" fragment F")
          .append(levels)
          .append(" on ")
          .append(on)
          .append(" { ")
          .append(leaf)
          .append(" }");
      return new Payload(levels + " levels x" + spreads, q.toString());
    }

    private Payload aliasFlood() {
      int count = logUniform(1_000, 20_000);
      String field = "__typename";
      if (rnd.nextBoolean()) {
        Field f = randomField(schema.query());
        field = f.name() + arguments(f) + (schema.isComposite(f.type()) ? " { __typename }" : "");
      }
      StringBuilder q = new StringBuilder("{");
      for (int i = 0; i < count; i++) {
        q.append(" a").append(i).append(": ").append(field);
      }
      return new Payload(
          count + " aliases of " + FuzzRequest.excerpt(field, 60), q.append(" }").toString());
    }

    private Payload fieldFlood() {
      int count = logUniform(1_000, 50_000);
      StringBuilder q = new StringBuilder("{");
      return switch (rnd.nextInt(3)) {
        case 0 ->
            new Payload(
                count + " x __typename",
                q.append(" __typename".repeat(count)).append(" }").toString());
        case 1 -> {
          for (int i = 0; i < count; i++) {
            q.append(" f").append(i);
          }
          yield new Payload(count + " distinct unknown fields", q.append(" }").toString());
        }
        default -> {
          Field f = randomField(schema.query());
          Type t = schema.type(f.type().named());
          String inner = t != null && t.composite() ? selectionFrom(t, 1, 1) : "";
          String one = " " + f.name() + arguments(f) + " " + inner;
          int times = Math.max(1, count / Math.max(1, one.length() / 10));
          yield new Payload(
              times + " x " + f.name() + " (merged)",
              q.append(one.repeat(times)).append(" }").toString());
        }
      };
    }

    private Payload rootFields() {
      List<Field> fields = schema.query().fields();
      int rounds = logUniform(1, 200);
      StringBuilder q = new StringBuilder("query Roots {");
      int alias = 0;
      for (int r = 0; r < rounds; r++) {
        for (Field f : fields) {
          q.append(" r").append(alias++).append(": ").append(f.name()).append(arguments(f));
          Type t = schema.type(f.type().named());
          if (t != null && t.composite()) {
            q.append(' ').append(selectionFrom(t, 1, 1 + rnd.nextInt(2)));
          }
        }
      }
      if (fields.isEmpty()) {
        q.append(" __typename");
      }
      return new Payload(
          rounds + " x every root field (" + fields.size() + ")", q.append(" }").toString());
    }

    private Payload introspectionFlood() {
      int kind = rnd.nextInt(3);
      StringBuilder q = new StringBuilder("{");
      if (kind == 2) {
        int depth = 3 + rnd.nextInt(10);
        q.append(" __schema { types {")
            .append(" fields { type {".repeat(depth))
            .append(" name")
            .append(" } }".repeat(depth))
            .append(" } } }");
        return new Payload("__schema types through fields " + depth + " deep", q.toString());
      }
      int count = logUniform(2, 500);
      List<String> names = new ArrayList<>(schema.types().keySet());
      for (int i = 0; i < count; i++) {
        if (kind == 0) {
          q.append(" s")
              .append(i)
              .append(
                  ": __schema { types { name kind fields { name args { name } type { name"
                      + " kind ofType { name } } } } }");
        } else {
          String type = names.isEmpty() ? "Query" : names.get(rnd.nextInt(names.size()));
          q.append(" t")
              .append(i)
              .append(": __type(name: \"")
              .append(type)
              .append("\") { name fields { name } }");
        }
      }
      return new Payload(
          count + (kind == 0 ? " x __schema" : " x __type"), q.append(" }").toString());
    }

    private FuzzRequest wrongVariables() {
      Payload payload =
          switch (rnd.nextInt(7)) {
            case 0 -> {
              ArgUse use = argUse();
              String value = JSON_WRONG_VALUES[rnd.nextInt(JSON_WRONG_VALUES.length)];
              yield new Payload(
                  "wrong type for " + use.arg.name() + ": " + use.arg.type().print(),
                  use.query,
                  "{\"v\":" + value + "}",
                  null);
            }
            case 1 -> {
              ArgUse use = argUse();
              yield new Payload(
                  "missing " + use.arg.type().print(),
                  use.query,
                  rnd.nextBoolean() ? "{}" : null,
                  null);
            }
            case 2 -> {
              String[] notObjects = {
                "[]", "[{\"v\":1}]", "\"v\"", "1", "true", "\"{\\\"v\\\":1}\""
              };
              yield new Payload(
                  "variables not an object",
                  "query($v: Int) { __typename }",
                  notObjects[rnd.nextInt(notObjects.length)],
                  null);
            }
            case 3 ->
                new Payload(
                    "undeclared variable",
                    "{ " + fieldUsing("$undeclared") + " }",
                    "{\"undeclared\":1}",
                    null);
            case 4 ->
                new Payload(
                    "unknown variable type",
                    "query($v: " + name() + "!) { __typename }",
                    "{\"v\":{}}",
                    null);
            case 5 ->
                new Payload(
                    "duplicate variable",
                    "query($v: Int, $v: String) { __typename }",
                    "{\"v\":\"x\"}",
                    null);
            default -> {
              String[] types = {
                "Int!", "[Int!]!", "[[String]]", "Boolean!", "ID!", "Float", "String!"
              };
              String type = types[rnd.nextInt(types.length)];
              String value = JSON_WRONG_VALUES[rnd.nextInt(JSON_WRONG_VALUES.length)];
              yield new Payload(
                  "unused " + type + " given " + value,
                  "query($v: " + type + ") { __typename }",
                  "{\"v\":" + value + "}",
                  null);
            }
          };
      return wrap(Category.WRONG_VARIABLES, payload);
    }

    /** A query that passes {@code $v} to a real argument of the schema, with its declared type. */
    private record ArgUse(Arg arg, String query) {}

    private ArgUse argUse() {
      Field f = fieldWithArgs(schema.query());
      if (f == null) {
        return new ArgUse(
            new Arg("v", new TypeRef("SCALAR", "Int", null)), "query($v: Int!) { __typename }");
      }
      Arg arg = f.args().get(rnd.nextInt(f.args().size()));
      String selection = schema.isComposite(f.type()) ? " { __typename }" : "";
      return new ArgUse(
          arg,
          "query($v: "
              + arg.type().print()
              + ") { "
              + f.name()
              + "("
              + arg.name()
              + ": $v)"
              + selection
              + " }");
    }

    private String fieldUsing(String value) {
      Field f = fieldWithArgs(schema.query());
      if (f == null) {
        return "__typename(x: " + value + ")";
      }
      String selection = schema.isComposite(f.type()) ? " { __typename }" : "";
      return f.name() + "(" + f.args().getFirst().name() + ": " + value + ")" + selection;
    }

    private FuzzRequest unicode() {
      String weird = weirdText();
      int kind = rnd.nextInt(8);
      if (kind == 0) {
        // Raw bytes that are not UTF-8, spliced into an otherwise fine body.
        byte[] body =
            envelope(new Payload("", "{ " + fieldUsing("\"x\"") + " }"))
                .getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {
          {(byte) 0xff},
          {(byte) 0xc0, (byte) 0x80},
          {(byte) 0x80},
          {(byte) 0xe2, (byte) 0x82},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {0}
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 1 + rnd.nextInt(body.length - 1);
        out.write(body, 0, at);
        byte[] b = bad[rnd.nextInt(bad.length)];
        out.write(b, 0, b.length);
        out.write(body, at, body.length - at);
        return new FuzzRequest(
            Category.UNICODE,
            "invalid UTF-8 in the body",
            "POST",
            "application/json",
            accept(),
            "",
            out.toByteArray());
      }
      Payload payload =
          switch (kind) {
            case 1 ->
                new Payload(
                    "control characters and surrogates in a string argument",
                    "{ " + fieldUsing(graphQlString(weird)) + " }");
            case 2 ->
                new Payload(
                    "non-ASCII field and alias names",
                    "{ "
                        + weird.replaceAll("[\\s{}()\"]", "_")
                        + ": "
                        + "__typename caf\u00e9 \u540d\u524d \ud83d\ude00 }");
            case 3 ->
                new Payload(
                    "NUL and controls outside strings",
                    "{ __typename\u0000 \u0001\u0007 __type\u0008name }");
            case 4 -> new Payload("weird operationName", "query Q { __typename }", null, weird);
            case 5 ->
                new Payload(
                    "weird variable value and keys",
                    "query($v: String) { " + fieldUsing("$v") + " }",
                    "{\"v\":"
                        + jsonString(weird, rnd.nextBoolean())
                        + ","
                        + jsonString(weird, true)
                        + ":1}",
                    null);
            case 6 ->
                new Payload(
                    "bad escapes in GraphQL strings",
                    "{ "
                        + fieldUsing(
                            rnd.nextBoolean()
                                ? "\"\\uD800\\u{110000}\\uZZZZ\\x\""
                                : "\"\\u{10FFFF}\\u0000\\uDFFF\"")
                        + " }");
            default ->
                new Payload(
                    "BOM and bidi marks around the query",
                    "\ufeff\u202e{ __typename }\u2066\u0085");
          };
      return wrap(Category.UNICODE, payload);
    }

    private Payload hugeNumbers() {
      String number =
          rnd.nextInt(4) == 0
              ? INVALID_NUMBER_TOKENS[rnd.nextInt(INVALID_NUMBER_TOKENS.length)]
              : HUGE_NUMBERS[rnd.nextInt(HUGE_NUMBERS.length)];
      if (rnd.nextBoolean()) {
        return new Payload("literal " + number, "{ " + fieldUsing(number) + " }");
      }
      Field f = fieldWithArgs(schema.query());
      String type = "Int";
      String query = "query($v: Int) { __typename }";
      if (f != null) {
        Arg arg = f.args().get(rnd.nextInt(f.args().size()));
        type = arg.type().print();
        query =
            "query($v: "
                + type
                + ") { "
                + f.name()
                + "("
                + arg.name()
                + ": $v)"
                + (schema.isComposite(f.type()) ? " { __typename }" : "")
                + " }";
      }
      String json = number.matches("-?[0-9][0-9.eE+-]*") ? number : "\"" + number + "\"";
      return new Payload("variable " + type + " = " + json, query, "{\"v\":" + json + "}", null);
    }

    private FuzzRequest hugeStrings() {
      int size = 1_000_000 + rnd.nextInt(4_000_001);
      String big = "ab\u00e9\u4e2d ".repeat(size / 5 + 1).substring(0, size);
      Payload payload =
          switch (rnd.nextInt(6)) {
            case 0 -> new Payload("string argument", "{ " + fieldUsing(graphQlString(big)) + " }");
            case 1 ->
                new Payload(
                    "string variable",
                    "query($v: String) { " + fieldUsing("$v") + " }",
                    "{\"v\":" + jsonString(big, false) + "}",
                    null);
            case 2 -> new Payload("comment", "{ __typename } #" + big);
            case 3 ->
                new Payload("block string", "{ " + fieldUsing("\"\"\"" + big + "\"\"\"") + " }");
            case 4 -> new Payload("name", "{ a" + "b".repeat(size) + ": __typename }");
            default -> new Payload("operationName", "query Q { __typename }", null, big);
          };
      return wrap(
          Category.HUGE_STRINGS,
          new Payload(
              size + " chars in " + payload.variant(),
              payload.query(),
              payload.variables(),
              payload.operationName()));
    }

    private Payload schemaAware() {
      int maxDepth = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 12 : 5);
      Type query = schema.query();
      StringBuilder q = new StringBuilder("query Fuzz").append(rnd.nextInt(1000)).append(' ');
      if (rnd.nextInt(4) == 0) {
        // One argument through a variable, with a value of its type or not.
        Field f = fieldWithArgs(query);
        if (f != null) {
          Arg arg = f.args().get(rnd.nextInt(f.args().size()));
          String value =
              rnd.nextInt(3) == 0
                  ? JSON_WRONG_VALUES[rnd.nextInt(JSON_WRONG_VALUES.length)]
                  : jsonValue(arg.type(), arg.name(), 0);
          Type t = schema.type(f.type().named());
          String selection = t != null && t.composite() ? selectionFrom(t, 1, maxDepth) : "";
          q.append("($v: ")
              .append(arg.type().print())
              .append(") { ")
              .append(f.name())
              .append('(')
              .append(arg.name())
              .append(": $v) ")
              .append(selection)
              .append(" }");
          return new Payload(
              "schema with variable, depth " + maxDepth,
              q.toString(),
              "{\"v\":" + value + "}",
              null);
        }
      }
      q.append(selectionFrom(query, 0, maxDepth));
      return new Payload("schema selection, depth " + maxDepth, q.toString());
    }

    private FuzzRequest httpShape() {
      String simple = envelope(new Payload("", "{ __typename }"));
      return switch (rnd.nextInt(16)) {
        case 0 -> post("empty body", "application/json", new byte[0]);
        case 1 -> post("empty body, no content type", null, new byte[0]);
        case 2 -> {
          String[] broken = {
            "{",
            "{\"query\":",
            "{\"query\":\"{ __typename }\"",
            "{'query':'{ __typename }'}",
            "{\"query\":\"{ __typename }\",}",
            "{query:\"x\"}",
            "{\"query\":\"\\x\"}",
            "{\"query\":NaN}",
            "{\"query\":\"{ __typename }\"}}",
            "\"\\",
            "nul",
            "{\"query\":\"a\" \"b\"}",
            "\u0000{}"
          };
          String body =
              rnd.nextBoolean()
                  ? broken[rnd.nextInt(broken.length)]
                  : simple.substring(0, rnd.nextInt(simple.length()));
          yield post("bad JSON", "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
        case 3 -> {
          String[] notEnvelope = {
            "[]",
            "\"{ __typename }\"",
            "1",
            "null",
            "true",
            "{}",
            "{\"query\":1}",
            "{\"query\":[\"{ __typename }\"]}",
            "{\"query\":{\"a\":1}}",
            "{\"query\":null}",
            "{\"query\":\"\"}",
            "{\"query\":\"   \"}",
            "{\"query\":\"{ __typename }\",\"operationName\":1}",
            "{\"query\":\"{ __typename }\",\"operationName\":\"Nope\"}",
            "{\"query\":\"{ __typename }\",\"extensions\":\"x\"}",
            "{\"query\":\"{ __typename }\",\"extensions\":"
                + "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"00\"}}}",
            "{\"query\":\"{ __typename }\",\"query\":\"{ x }\"}"
          };
          yield post(
              "not a GraphQL envelope",
              "application/json",
              notEnvelope[rnd.nextInt(notEnvelope.length)].getBytes(StandardCharsets.UTF_8));
        }
        case 4 -> {
          int n = logUniform(1, 1_000);
          StringBuilder batch = new StringBuilder("[");
          for (int i = 0; i < n; i++) {
            batch.append(i == 0 ? "" : ",").append(simple);
          }
          yield post(
              "batch of " + n,
              "application/json",
              batch.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        case 5 -> post("text/plain", "text/plain", simple.getBytes(StandardCharsets.UTF_8));
        case 6 ->
            post(
                "form",
                "application/x-www-form-urlencoded",
                ("query=" + URLEncoder.encode("{ __typename }", StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
        case 7 ->
            post(
                "multipart",
                "multipart/form-data; boundary=XyZ",
                ("--XyZ\r\nContent-Disposition: form-data;"
                        + " name=\"operations\"\r\n\r\n"
                        + simple
                        + "\r\n--XyZ--\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        case 8 ->
            post(
                "UTF-16 body",
                "application/json; charset=utf-16",
                simple.getBytes(StandardCharsets.UTF_16));
        case 9 -> {
          String[] odd = {
            "application/xml",
            "application/json; charset=nonsense",
            "application/jsonx",
            "*/*",
            "application/graphql-response+json",
            "application/json; boundary=\u00ff",
            "application"
          };
          yield post(
              "odd content type",
              odd[rnd.nextInt(odd.length)],
              simple.getBytes(StandardCharsets.UTF_8));
        }
        case 10 -> {
          int size = 4 * 1024 * 1024 + rnd.nextInt(2 * 1024 * 1024);
          String padded =
              "{\"query\":\"{ __typename }\"," + "\"pad\":\"" + "x".repeat(size) + "\"}";
          yield post(
              "oversize body, " + size + " bytes",
              "application/json",
              padded.getBytes(StandardCharsets.UTF_8));
        }
        case 11 -> {
          int depth = logUniform(1_000, 200_000);
          String deep =
              "{\"query\":\"{ __typename }\",\"variables\":{\"a\":"
                  + "[".repeat(depth)
                  + "]".repeat(depth)
                  + "}}";
          yield post(
              "JSON nested " + depth + " deep",
              "application/json",
              deep.getBytes(StandardCharsets.UTF_8));
        }
        case 12 -> get("GET without query", "");
        case 13 ->
            get(
                "GET with bad variables",
                "query="
                    + pct("query($v: Int) { __typename }")
                    + "&variables="
                    + pct(rnd.nextBoolean() ? "{not json" : "[1]"));
        case 14 -> get("GET mutation", "query=" + pct("mutation { " + name() + " }"));
        default -> {
          int count = logUniform(500, 20_000);
          yield get(
              "GET with " + count + " fields",
              "query=" + pct("{" + " __typename".repeat(count) + " }"));
        }
      };
    }

    // ---- the transport --------------------------------------------------------------------------

    private FuzzRequest wrap(Category category, Payload payload) {
      int how = rnd.nextInt(100);
      if (how < 10 && payload.query().length() < 16_000) {
        StringBuilder raw = new StringBuilder("query=").append(pct(payload.query()));
        if (payload.variables() != null) {
          raw.append("&variables=").append(pct(payload.variables()));
        }
        if (payload.operationName() != null) {
          raw.append("&operationName=").append(pct(payload.operationName()));
        }
        return new FuzzRequest(
            category, payload.variant(), "GET", null, accept(), raw.toString(), new byte[0]);
      }
      if (how < 20) {
        return new FuzzRequest(
            category,
            payload.variant(),
            "POST",
            "application/graphql",
            accept(),
            "",
            payload.query().getBytes(StandardCharsets.UTF_8));
      }
      String[] json = {
        "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"
      };
      return new FuzzRequest(
          category,
          payload.variant(),
          "POST",
          json[rnd.nextInt(json.length)],
          accept(),
          "",
          envelope(payload).getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest post(String variant, @Nullable String contentType, byte[] body) {
      return new FuzzRequest(
          Category.HTTP_SHAPES, variant, "POST", contentType, accept(), "", body);
    }

    private FuzzRequest get(String variant, String rawQuery) {
      return new FuzzRequest(
          Category.HTTP_SHAPES, variant, "GET", null, accept(), rawQuery, new byte[0]);
    }

    private @Nullable String accept() {
      return switch (rnd.nextInt(10)) {
        case 0 -> null;
        case 1 -> "*/*";
        case 2, 3 -> "application/graphql-response+json, application/json;q=0.9";
        default -> "application/json";
      };
    }

    private String envelope(Payload payload) {
      boolean escape = rnd.nextBoolean();
      StringBuilder out =
          new StringBuilder("{\"query\":").append(jsonString(payload.query(), escape));
      if (payload.variables() != null) {
        out.append(",\"variables\":").append(payload.variables());
      }
      if (payload.operationName() != null) {
        out.append(",\"operationName\":").append(jsonString(payload.operationName(), escape));
      }
      return out.append('}').toString();
    }

    private static String pct(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * A JSON string; surrogates are always escaped, so lone ones arrive as {@code \ud800} as sent.
     */
    static String jsonString(String text, boolean escapeNonAscii) {
      StringBuilder out = new StringBuilder(text.length() + 2).append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || Character.isSurrogate(c) || (escapeNonAscii && c > 0x7e)) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      return out.append('"').toString();
    }

    /** A GraphQL string literal of {@code text}; control characters and surrogates as escapes. */
    private static String graphQlString(String text) {
      StringBuilder out = new StringBuilder(text.length() + 2).append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || Character.isSurrogate(c)) {
          out.append(String.format("\\u%04X", (int) c));
        } else {
          out.append(c);
        }
      }
      return out.append('"').toString();
    }

    // ---- schema-aware pieces --------------------------------------------------------------------

    private String selectionFrom(Type type, int depth, int maxDepth) {
      StringBuilder out = new StringBuilder("{ ");
      List<Field> fields = type.fields();
      if (fields.isEmpty() || type.kind().equals("UNION")) {
        out.append("__typename ");
        List<String> possible = type.possibleTypes();
        for (int i = 0; i < Math.min(2, possible.size()) && depth < maxDepth; i++) {
          Type member = schema.type(possible.get(rnd.nextInt(possible.size())));
          if (member != null) {
            out.append("... on ")
                .append(member.name())
                .append(' ')
                .append(selectionFrom(member, depth + 1, maxDepth));
          }
        }
        return out.append("} ").toString();
      }
      int n = 1 + rnd.nextInt(Math.min(6, fields.size()));
      for (int i = 0; i < n; i++) {
        Field f = fields.get(rnd.nextInt(fields.size()));
        if (rnd.nextInt(10) == 0) {
          out.append(name()).append(": ");
        }
        out.append(f.name()).append(arguments(f));
        if (rnd.nextInt(20) == 0) {
          out.append(rnd.nextBoolean() ? " @skip(if: false)" : " @" + name());
        }
        Type t = schema.type(f.type().named());
        if (t != null && t.composite()) {
          out.append(' ')
              .append(
                  depth + 1 >= maxDepth ? "{ __typename }" : selectionFrom(t, depth + 1, maxDepth));
        }
        out.append(' ');
      }
      if (type.kind().equals("INTERFACE") && !type.possibleTypes().isEmpty() && depth < maxDepth) {
        Type member =
            schema.type(type.possibleTypes().get(rnd.nextInt(type.possibleTypes().size())));
        if (member != null) {
          out.append("... on ")
              .append(member.name())
              .append(' ')
              .append(selectionFrom(member, depth + 1, maxDepth));
        }
      }
      return out.append("} ").toString();
    }

    private String arguments(Field f) {
      StringBuilder out = new StringBuilder();
      for (Arg a : f.args()) {
        if (rnd.nextInt(100) < (a.type().nonNull() ? 93 : 40)) {
          out.append(out.isEmpty() ? "(" : ", ")
              .append(a.name())
              .append(": ")
              .append(literal(a.type(), a.name(), 0));
        }
      }
      if (rnd.nextInt(30) == 0) {
        out.append(out.isEmpty() ? "(" : ", ").append(name()).append(": 1");
      }
      return out.isEmpty() ? "" : out.append(')').toString();
    }

    private String literal(TypeRef ref, String argName, int depth) {
      if (depth > 3) {
        return "null";
      }
      if (rnd.nextInt(100) < 6) {
        String[] wrong = {
          "\"wrong\"", "1", "-1.5", "true", "null", "{}", "[]", "ENUM_VALUE", "$nope"
        };
        return wrong[rnd.nextInt(wrong.length)];
      }
      return switch (ref.kind()) {
        case "NON_NULL" -> ref.ofType() == null ? "null" : literal(ref.ofType(), argName, depth);
        case "LIST" -> {
          TypeRef of = ref.ofType() == null ? new TypeRef("SCALAR", "String", null) : ref.ofType();
          if (rnd.nextInt(4) == 0) {
            yield literal(of, argName, depth + 1);
          }
          int n = rnd.nextInt(5);
          StringBuilder list = new StringBuilder("[");
          for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ", ").append(literal(of, argName, depth + 1));
          }
          yield list.append(']').toString();
        }
        default -> namedLiteral(ref.named(), argName, depth);
      };
    }

    private String namedLiteral(String type, String argName, int depth) {
      return switch (type) {
        case "Int" -> intValue(argName);
        case "Float" ->
            rnd.nextInt(5) == 0
                ? HUGE_NUMBERS[rnd.nextInt(HUGE_NUMBERS.length)]
                : Double.toString(rnd.nextDouble(-1e6, 1e6));
        case "Boolean" -> rnd.nextBoolean() ? "true" : "false";
        case "ID" -> graphQlString(idValue());
        case "String" -> graphQlString(stringValue());
        default -> {
          Type t = schema.type(type);
          if (t == null) {
            yield graphQlString(stringValue());
          }
          if (t.kind().equals("ENUM")) {
            yield !t.enumValues().isEmpty() && rnd.nextInt(8) != 0
                ? t.enumValues().get(rnd.nextInt(t.enumValues().size()))
                : name().toUpperCase(java.util.Locale.ROOT);
          }
          if (t.kind().equals("INPUT_OBJECT")) {
            StringBuilder obj = new StringBuilder("{");
            for (Arg f : t.inputFields()) {
              if (rnd.nextInt(100) < (f.type().nonNull() ? 90 : 50)) {
                obj.append(obj.length() == 1 ? "" : ", ")
                    .append(f.name())
                    .append(": ")
                    .append(literal(f.type(), f.name(), depth + 1));
              }
            }
            yield obj.append('}').toString();
          }
          yield switch (rnd.nextInt(5)) {
            case 0 -> intValue(argName);
            case 1 ->
                "{__typename: \"" + randomTypeName() + "\", id: " + graphQlString(idValue()) + "}";
            case 2 -> HUGE_NUMBERS[rnd.nextInt(HUGE_NUMBERS.length)];
            default -> graphQlString(stringValue());
          };
        }
      };
    }

    /** A JSON value for a variable of {@code ref}, as hostile as the literals. */
    private String jsonValue(TypeRef ref, String argName, int depth) {
      return switch (ref.kind()) {
        case "NON_NULL" -> ref.ofType() == null ? "null" : jsonValue(ref.ofType(), argName, depth);
        case "LIST" -> {
          TypeRef of = ref.ofType() == null ? new TypeRef("SCALAR", "String", null) : ref.ofType();
          int n = rnd.nextInt(4);
          StringBuilder list = new StringBuilder("[");
          for (int i = 0; i < n && depth < 4; i++) {
            list.append(i == 0 ? "" : ",").append(jsonValue(of, argName, depth + 1));
          }
          yield list.append(']').toString();
        }
        default -> {
          Type t = schema.type(ref.named());
          if (t != null && t.kind().equals("INPUT_OBJECT") && depth < 4) {
            StringBuilder obj = new StringBuilder("{");
            for (Arg f : t.inputFields()) {
              if (rnd.nextInt(100) < (f.type().nonNull() ? 90 : 50)) {
                obj.append(obj.length() == 1 ? "" : ",")
                    .append(jsonString(f.name(), false))
                    .append(':')
                    .append(jsonValue(f.type(), f.name(), depth + 1));
              }
            }
            yield obj.append('}').toString();
          }
          String literal = namedLiteral(ref.named(), argName, depth);
          yield literal.startsWith("\"")
                  || literal.matches("-?[0-9][0-9.eE+-]*")
                  || literal.equals("true")
                  || literal.equals("false")
              ? literal
              : jsonString(literal, false);
        }
      };
    }

    private String intValue(String argName) {
      boolean limitLike =
          argName.matches(
              "(?i)first|last|limit|take|size|top|count|depth|max.*|hops|n|offset|skip"
                  + "|page.*|window.*");
      int r = rnd.nextInt(10);
      if (limitLike && r < 6 || r < 3) {
        return Integer.toString(SPECIAL_INTS[rnd.nextInt(SPECIAL_INTS.length)]);
      }
      if (r == 9) {
        return HUGE_NUMBERS[rnd.nextInt(HUGE_NUMBERS.length)];
      }
      return Integer.toString(rnd.nextInt(-10, 200));
    }

    private String idValue() {
      return switch (rnd.nextInt(6)) {
        case 0, 1 -> new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        case 2 -> "99b4f4d4-504f-3c40-b1ce-f5e2d86126b5";
        case 3 -> "sales/table/sales.customers";
        default -> stringValue();
      };
    }

    private String stringValue() {
      return switch (rnd.nextInt(10)) {
        case 0 -> name();
        case 1 -> weirdText();
        case 2 -> "x".repeat(logUniform(100, 100_000));
        default -> HOSTILE_STRINGS[rnd.nextInt(HOSTILE_STRINGS.length)];
      };
    }

    private String weirdText() {
      StringBuilder out = new StringBuilder();
      int n = 1 + rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        out.append(
            switch (rnd.nextInt(8)) {
              case 0 -> (char) rnd.nextInt(0x20);
              case 1 -> (char) (0xd800 + rnd.nextInt(0x800));
              case 2 -> "\ud83d\ude00";
              case 3 -> (char) (0x80 + rnd.nextInt(0x780));
              case 4 -> "\u0000";
              case 5 -> "\u202e\u200b\ufeff";
              case 6 -> (char) rnd.nextInt(0x10000);
              default -> (char) ('a' + rnd.nextInt(26));
            });
      }
      return out.toString();
    }

    private String name() {
      String first = "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
      String rest = first + "0123456789";
      StringBuilder out = new StringBuilder().append(first.charAt(rnd.nextInt(first.length())));
      int n = rnd.nextInt(10);
      for (int i = 0; i < n; i++) {
        out.append(rest.charAt(rnd.nextInt(rest.length())));
      }
      return out.toString();
    }

    private String randomTypeName() {
      List<String> objects =
          schema.types().values().stream()
              .filter(t -> t.kind().equals("OBJECT"))
              .map(Type::name)
              .toList();
      return objects.isEmpty() ? name() : objects.get(rnd.nextInt(objects.size()));
    }

    private Field randomField(Type type) {
      List<Field> fields = type.fields();
      return fields.isEmpty()
          ? new Field("__typename", List.of(), new TypeRef("SCALAR", "String", null))
          : fields.get(rnd.nextInt(fields.size()));
    }

    private @Nullable Field fieldWithArgs(Type type) {
      List<Field> withArgs = type.fields().stream().filter(f -> !f.args().isEmpty()).toList();
      return withArgs.isEmpty() ? null : withArgs.get(rnd.nextInt(withArgs.size()));
    }

    /** Between {@code min} and {@code max}, small values as likely per decade as large ones. */
    private int logUniform(int min, int max) {
      return (int) Math.round(min * Math.pow((double) max / min, rnd.nextDouble()));
    }
  }
}
