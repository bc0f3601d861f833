package io.meshgate.gateway.supergraph;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.errors.SchemaProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The API schema: what clients of the gateway see. The supergraph without its join and link
 * machinery, and without anything marked {@code @inaccessible}; used to validate operations and to
 * answer introspection.
 */
public final class ApiSchema {

  private static final Set<String> KEPT_DIRECTIVES = Set.of("deprecated", "specifiedBy", "oneOf");
  private static final Set<String> EXECUTABLE_LOCATIONS =
      Set.of(
          "QUERY",
          "MUTATION",
          "SUBSCRIPTION",
          "FIELD",
          "FRAGMENT_DEFINITION",
          "FRAGMENT_SPREAD",
          "INLINE_FRAGMENT",
          "VARIABLE_DEFINITION");
  private static final Set<String> BUILT_IN_SCALARS =
      Set.of("String", "Int", "Float", "Boolean", "ID");

  private ApiSchema() {}

  /** Builds the API schema of a supergraph. */
  public static GraphQLSchema of(Supergraph supergraph) {
    String inaccessible = supergraph.inaccessibleDirective();
    Set<String> hiddenTypes = new HashSet<>();
    for (Supergraph.TypeInfo type : supergraph.types()) {
      if (type.inaccessible()) {
        hiddenTypes.add(type.name());
      }
    }
    List<Definition> definitions = new ArrayList<>();
    Set<String> keptDirectives = new HashSet<>(KEPT_DIRECTIVES);
    for (Definition<?> definition : supergraph.document().getDefinitions()) {
      if (definition instanceof DirectiveDefinition directive && isClientDirective(directive)) {
        keptDirectives.add(directive.getName());
      }
    }
    for (Definition<?> definition : supergraph.document().getDefinitions()) {
      switch (definition) {
        case SchemaDefinition schema ->
            definitions.add(
                SchemaDefinition.newSchemaDefinition()
                    .operationTypeDefinitions(
                        schema.getOperationTypeDefinitions().stream()
                            .map(
                                op ->
                                    OperationTypeDefinition.newOperationTypeDefinition()
                                        .name(op.getName())
                                        .typeName(op.getTypeName())
                                        .build())
                            .toList())
                    .build());
        case DirectiveDefinition directive -> {
          if (keptDirectives.contains(directive.getName())
              && !KEPT_DIRECTIVES.contains(directive.getName())) {
            definitions.add(directive);
          }
        }
        case TypeDefinition<?> type -> {
          if (supergraph.type(type.getName()).isPresent()
              && !hiddenTypes.contains(type.getName())) {
            definitions.add(clean(type, inaccessible, hiddenTypes, keptDirectives));
          }
        }
        default -> {}
      }
    }
    TypeDefinitionRegistry registry;
    try {
      registry =
          new SchemaParser().buildRegistry(Document.newDocument().definitions(definitions).build());
    } catch (SchemaProblem e) {
      throw new SupergraphException(
          "the API schema of this supergraph is invalid: " + e.getMessage());
    }
    RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring();
    for (var scalar : registry.scalars().values()) {
      if (!BUILT_IN_SCALARS.contains(scalar.getName())) {
        wiring.scalar(passThrough(scalar.getName()));
      }
    }
    wiring.wiringFactory(
        new graphql.schema.idl.WiringFactory() {
          @Override
          public boolean providesTypeResolver(
              graphql.schema.idl.InterfaceWiringEnvironment environment) {
            return true;
          }

          @Override
          public graphql.schema.TypeResolver getTypeResolver(
              graphql.schema.idl.InterfaceWiringEnvironment environment) {
            return env -> null;
          }

          @Override
          public boolean providesTypeResolver(
              graphql.schema.idl.UnionWiringEnvironment environment) {
            return true;
          }

          @Override
          public graphql.schema.TypeResolver getTypeResolver(
              graphql.schema.idl.UnionWiringEnvironment environment) {
            return env -> null;
          }
        });
    try {
      return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
    } catch (SchemaProblem e) {
      throw new SupergraphException(
          "the API schema of this supergraph is invalid: " + e.getMessage());
    }
  }

  private static boolean isClientDirective(DirectiveDefinition directive) {
    String name = directive.getName();
    if (name.contains("__") || name.equals("link") || name.equals("core")) {
      return false;
    }
    for (DirectiveLocation location : directive.getDirectiveLocations()) {
      if (EXECUTABLE_LOCATIONS.contains(location.getName())) {
        return true;
      }
    }
    return false;
  }

  private static Definition<?> clean(
      TypeDefinition<?> type,
      String inaccessible,
      Set<String> hiddenTypes,
      Set<String> keptDirectives) {
    return switch (type) {
      case ObjectTypeDefinition object ->
          object.transform(
              b ->
                  b.directives(keep(object.getDirectives(), keptDirectives))
                      .implementz(visibleTypes(object.getImplements(), hiddenTypes))
                      .fieldDefinitions(
                          fields(
                              object.getFieldDefinitions(),
                              inaccessible,
                              hiddenTypes,
                              keptDirectives)));
      case InterfaceTypeDefinition iface ->
          iface.transform(
              b ->
                  b.directives(keep(iface.getDirectives(), keptDirectives))
                      .implementz(visibleTypes(iface.getImplements(), hiddenTypes))
                      .definitions(
                          fields(
                              iface.getFieldDefinitions(),
                              inaccessible,
                              hiddenTypes,
                              keptDirectives)));
      case UnionTypeDefinition union ->
          union.transform(
              b ->
                  b.directives(keep(union.getDirectives(), keptDirectives))
                      .memberTypes(visibleTypes(union.getMemberTypes(), hiddenTypes)));
      case EnumTypeDefinition e ->
          e.transform(
              b ->
                  b.directives(keep(e.getDirectives(), keptDirectives))
                      .enumValueDefinitions(
                          e.getEnumValueDefinitions().stream()
                              .filter(v -> !v.hasDirective(inaccessible))
                              .map(
                                  v ->
                                      v.transform(
                                          vb ->
                                              vb.directives(
                                                  keep(v.getDirectives(), keptDirectives))))
                              .toList()));
      case InputObjectTypeDefinition input ->
          input.transform(
              b ->
                  b.directives(keep(input.getDirectives(), keptDirectives))
                      .inputValueDefinitions(
                          inputs(
                              input.getInputValueDefinitions(),
                              inaccessible,
                              hiddenTypes,
                              keptDirectives)));
      case ScalarTypeDefinition scalar ->
          scalar.transform(b -> b.directives(keep(scalar.getDirectives(), keptDirectives)));
      default -> type;
    };
  }

  private static List<FieldDefinition> fields(
      List<FieldDefinition> fields,
      String inaccessible,
      Set<String> hiddenTypes,
      Set<String> keptDirectives) {
    return fields.stream()
        .filter(
            f ->
                !f.hasDirective(inaccessible)
                    && !hiddenTypes.contains(Supergraph.unwrap(f.getType())))
        .map(
            f ->
                f.transform(
                    b ->
                        b.directives(keep(f.getDirectives(), keptDirectives))
                            .inputValueDefinitions(
                                inputs(
                                    f.getInputValueDefinitions(),
                                    inaccessible,
                                    hiddenTypes,
                                    keptDirectives))))
        .toList();
  }

  private static List<InputValueDefinition> inputs(
      List<InputValueDefinition> inputs,
      String inaccessible,
      Set<String> hiddenTypes,
      Set<String> keptDirectives) {
    return inputs.stream()
        .filter(
            i ->
                !i.hasDirective(inaccessible)
                    && !hiddenTypes.contains(Supergraph.unwrap(i.getType())))
        .map(i -> i.transform(b -> b.directives(keep(i.getDirectives(), keptDirectives))))
        .toList();
  }

  @SuppressWarnings("rawtypes")
  private static List<Type> visibleTypes(List<Type> types, Set<String> hiddenTypes) {
    return types.stream().filter(t -> !hiddenTypes.contains(((TypeName) t).getName())).toList();
  }

  private static List<Directive> keep(List<Directive> directives, Set<String> kept) {
    return directives.stream().filter(d -> kept.contains(d.getName())).toList();
  }

  private static GraphQLScalarType passThrough(String name) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(
            new Coercing<Object, Object>() {
              @Override
              public Object serialize(
                  Object dataFetcherResult, graphql.GraphQLContext context, Locale locale) {
                return dataFetcherResult;
              }

              @Override
              public Object parseValue(
                  Object input, graphql.GraphQLContext context, Locale locale) {
                return input;
              }

              @Override
              public Object parseLiteral(
                  graphql.language.Value<?> input,
                  graphql.execution.CoercedVariables variables,
                  graphql.GraphQLContext context,
                  Locale locale) {
                return literalToJava(input, variables);
              }
            })
        .build();
  }

  private static Object literalToJava(
      graphql.language.Value<?> value, graphql.execution.CoercedVariables variables) {
    return switch (value) {
      case graphql.language.StringValue s -> s.getValue();
      case graphql.language.IntValue i -> i.getValue();
      case graphql.language.FloatValue f -> f.getValue();
      case graphql.language.BooleanValue b -> b.isValue();
      case graphql.language.EnumValue e -> e.getName();
      case graphql.language.NullValue n -> null;
      case graphql.language.VariableReference v -> variables.get(v.getName());
      case graphql.language.ArrayValue a ->
          a.getValues().stream().map(x -> literalToJava(x, variables)).toList();
      case graphql.language.ObjectValue o -> {
        Map<String, Object> map = new LinkedHashMap<>();
        o.getObjectFields()
            .forEach(f -> map.put(f.getName(), literalToJava(f.getValue(), variables)));
        yield map;
      }
      default -> value.toString();
    };
  }
}
