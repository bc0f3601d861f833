package io.meshgate.gateway.plan;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One operation of a document with its named fragments inlined.
 *
 * @param kind {@code query}, {@code mutation} or {@code subscription}
 * @param name the operation's name, if any
 * @param variables the operation's variable definitions
 * @param selections the root selections
 */
public record NormalizedOperation(
    String kind,
    @Nullable String name,
    List<VariableDefinition> variables,
    List<Selection> selections) {

  /**
   * Picks the operation (by name, or the only one) and inlines its fragments.
   *
   * @throws IllegalArgumentException when the name matches no operation, or none is given and the
   *     document has several
   */
  public static NormalizedOperation of(Document document, @Nullable String operationName) {
    List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    document
        .getDefinitionsOfType(FragmentDefinition.class)
        .forEach(f -> fragments.put(f.getName(), f));
    OperationDefinition operation;
    if (operationName == null || operationName.isEmpty()) {
      if (operations.size() != 1) {
        throw new IllegalArgumentException(
            operations.isEmpty()
                ? "the document contains no operation"
                : "the document contains "
                    + operations.size()
                    + " operations; name one with operationName");
      }
      operation = operations.get(0);
    } else {
      operation =
          operations.stream()
              .filter(o -> operationName.equals(o.getName()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no operation named '" + operationName + "' in the document"));
    }
    return new NormalizedOperation(
        operation.getOperation().name().toLowerCase(Locale.ROOT),
        operation.getName(),
        operation.getVariableDefinitions(),
        normalize(operation.getSelectionSet(), fragments));
  }

  /** Parses a field set such as {@code "id"} or {@code "upc sku { id }"} into selections. */
  public static List<Selection> fieldSet(String fields) {
    Document document = graphql.parser.Parser.parse("{" + fields + "}");
    return normalize(
        document.getDefinitionsOfType(OperationDefinition.class).get(0).getSelectionSet(),
        Map.of());
  }

  static List<Selection> normalize(
      @Nullable SelectionSet set, Map<String, FragmentDefinition> fragments) {
    List<Selection> result = new ArrayList<>();
    if (set == null) {
      return result;
    }
    for (graphql.language.Selection<?> selection : set.getSelections()) {
      switch (selection) {
        case Field field ->
            result.add(
                new Selection.Field(
                    field.getAlias(),
                    field.getName(),
                    field.getArguments(),
                    field.getDirectives(),
                    normalize(field.getSelectionSet(), fragments)));
        case InlineFragment inline ->
            result.add(
                new Selection.Fragment(
                    inline.getTypeCondition() == null ? null : inline.getTypeCondition().getName(),
                    inline.getDirectives(),
                    normalize(inline.getSelectionSet(), fragments)));
        case FragmentSpread spread -> {
          FragmentDefinition definition = fragments.get(spread.getName());
          if (definition == null) {
            throw new IllegalArgumentException("unknown fragment " + spread.getName());
          }
          result.add(
              new Selection.Fragment(
                  definition.getTypeCondition().getName(),
                  spread.getDirectives(),
                  normalize(definition.getSelectionSet(), fragments)));
        }
        default -> throw new IllegalArgumentException("unsupported selection " + selection);
      }
    }
    return result;
  }
}
