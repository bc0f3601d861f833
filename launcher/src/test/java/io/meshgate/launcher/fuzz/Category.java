package io.meshgate.launcher.fuzz;

/** The kinds of adversarial request the generator mixes, with how often each is drawn. */
public enum Category {
  /** Random bytes as the body, under JSON, GraphQL or no content type. */
  RANDOM_BYTES(5),
  /** A well-formed JSON envelope whose {@code query} is token soup. */
  GARBAGE_QUERY(8),
  /** Selections, list values, object values or inline fragments 50 to 5,000 levels deep. */
  DEEP_NESTING(7),
  /** Fragments that spread each other in a cycle. */
  FRAGMENT_CYCLE(5),
  /** Each fragment spreads the next twice, 20 to 30 levels: billions of fields once expanded. */
  FRAGMENT_BOMB(5),
  /** 1,000 to 20,000 aliases of one field. */
  ALIAS_FLOOD(5),
  /** The same or distinct fields repeated thousands of times. */
  FIELD_FLOOD(4),
  /** Every root field of the schema, many times over under aliases, with generated arguments. */
  ROOT_FIELDS(4),
  /** Many {@code __schema} and {@code __type} introspections in one operation. */
  INTROSPECTION_FLOOD(4),
  /** Variables of the wrong type, missing, undeclared, or not an object at all. */
  WRONG_VARIABLES(7),
  /**
   * NUL, control characters, lone surrogates, invalid UTF-8 and non-ASCII in strings, names and
   * JSON keys.
   */
  UNICODE(7),
  /** {@code 1e400}, 40-digit integers and other numbers no GraphQL scalar holds. */
  HUGE_NUMBERS(6),
  /** Strings of 1 to 5 MB in arguments, variables, names and comments. */
  HUGE_STRINGS(2),
  /**
   * Valid-looking selections built from the endpoint's own schema, with hostile arguments and deep
   * cycles.
   */
  SCHEMA_AWARE(16),
  /**
   * What the transport may carry: empty and oversize bodies, bad JSON, batches, content types, GET
   * forms.
   */
  HTTP_SHAPES(10);

  private final int weight;

  Category(int weight) {
    this.weight = weight;
  }

  int weight() {
    return weight;
  }
}
