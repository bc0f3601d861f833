package io.meshgate.gateway.compose;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.ObjectValue;
import graphql.language.SchemaDefinition;
import graphql.language.SchemaExtensionDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One subgraph's SDL with its federation directives resolved to their local names (a subgraph may
 * import {@code @key} as is, rename it, or use it as {@code @federation__key}).
 *
 * @param name subgraph name
 * @param url where the subgraph serves GraphQL
 * @param document the parsed SDL
 * @param federation2 whether the SDL links the federation v2 spec
 * @param names federation directive name (e.g. {@code key}) to the name used in this SDL
 */
public record SubgraphSchema(
    String name, URI url, Document document, boolean federation2, Map<String, String> names) {

  private static final Set<String> FEDERATION_DIRECTIVES =
      Set.of(
          "key",
          "external",
          "requires",
          "provides",
          "shareable",
          "override",
          "inaccessible",
          "tag",
          "interfaceObject",
          "extends",
          "composeDirective",
          "authenticated",
          "requiresScopes",
          "policy",
          "context",
          "fromContext",
          "cost",
          "listSize");

  /**
   * Parses a subgraph's SDL.
   *
   * @throws CompositionException naming the subgraph when the SDL is not valid GraphQL
   */
  public static SubgraphSchema parse(String name, URI url, String sdl) {
    Document document;
    try {
      document = Parser.parse(sdl);
    } catch (InvalidSyntaxException e) {
      throw new CompositionException(
          "[" + name + "] the subgraph's SDL is not valid GraphQL: " + e.getMessage());
    }
    Map<String, String> names = new HashMap<>();
    boolean federation2 = false;
    for (var definition : document.getDefinitions()) {
      List<Directive> directives =
          switch (definition) {
            case SchemaExtensionDefinition extension -> extension.getDirectives();
            case SchemaDefinition schema -> schema.getDirectives();
            default -> List.of();
          };
      for (Directive link : directives) {
        if (!link.getName().equals("link")) {
          continue;
        }
        String linkUrl = string(link.getArgument("url"));
        if (linkUrl == null || !linkUrl.startsWith("https://specs.apollo.dev/federation/")) {
          continue;
        }
        federation2 = true;
        String prefix = string(link.getArgument("as"));
        String namespace = (prefix == null ? "federation" : prefix) + "__";
        for (String directive : FEDERATION_DIRECTIVES) {
          names.put(directive, namespace + directive);
        }
        Argument imports = link.getArgument("import");
        if (imports != null && imports.getValue() instanceof ArrayValue array) {
          for (Value<?> value : array.getValues()) {
            if (value instanceof StringValue s && s.getValue().startsWith("@")) {
              names.put(s.getValue().substring(1), s.getValue().substring(1));
            } else if (value instanceof ObjectValue o) {
              String imported = null;
              String as = null;
              for (var field : o.getObjectFields()) {
                if (field.getName().equals("name") && field.getValue() instanceof StringValue s) {
                  imported = s.getValue();
                }
                if (field.getName().equals("as") && field.getValue() instanceof StringValue s) {
                  as = s.getValue();
                }
              }
              if (imported != null && imported.startsWith("@")) {
                names.put(
                    imported.substring(1),
                    as == null ? imported.substring(1) : as.replaceFirst("^@", ""));
              }
            }
          }
        }
      }
    }
    if (!federation2) {
      for (String directive : FEDERATION_DIRECTIVES) {
        names.put(directive, directive);
      }
    }
    return new SubgraphSchema(
        name, url, withoutFederationBuiltIns(document, names), federation2, Map.copyOf(names));
  }

  /**
   * The SDL without what subgraph libraries print of federation itself into {@code _service.sdl}:
   * the {@code _entities} and {@code _service} root fields, {@code _Any}, {@code _Entity}, {@code
   * _Service}, the field set scalars, and the definitions of the linked directives. They are
   * federation's machinery, not the subgraph's types, whichever library printed them.
   */
  static Document withoutFederationBuiltIns(Document document, Map<String, String> names) {
    Set<String> federationDirectives = new HashSet<>(names.values());
    String queryType = queryTypeName(document);
    List<graphql.language.Definition> kept = new ArrayList<>();
    for (var definition : document.getDefinitions()) {
      switch (definition) {
        case graphql.language.DirectiveDefinition directive -> {
          String directiveName = directive.getName();
          if (!directiveName.equals("link")
              && !directiveName.startsWith("link__")
              && !directiveName.startsWith("federation__")
              && !federationDirectives.contains(directiveName)) {
            kept.add(definition);
          }
        }
        case graphql.language.TypeDefinition<?> type
            when FEDERATION_TYPES.contains(type.getName())
                || type.getName().startsWith("link__")
                || type.getName().startsWith("federation__") -> {}
        case graphql.language.ObjectTypeDefinition type when type.getName().equals(queryType) -> {
          List<graphql.language.FieldDefinition> fields =
              type.getFieldDefinitions().stream()
                  .filter(f -> !f.getName().equals("_entities") && !f.getName().equals("_service"))
                  .toList();
          if (fields.size() == type.getFieldDefinitions().size()) {
            kept.add(definition);
          } else if (type instanceof graphql.language.ObjectTypeExtensionDefinition extension) {
            if (!fields.isEmpty()) {
              kept.add(extension.transformExtension(b -> b.fieldDefinitions(fields)));
            }
          } else {
            kept.add(type.transform(b -> b.fieldDefinitions(fields)));
          }
        }
        default -> kept.add(definition);
      }
    }
    return document.transform(b -> b.definitions(kept));
  }

  private static String queryTypeName(Document document) {
    for (var definition : document.getDefinitions()) {
      List<graphql.language.OperationTypeDefinition> operations =
          switch (definition) {
            case SchemaExtensionDefinition extension -> extension.getOperationTypeDefinitions();
            case SchemaDefinition schema -> schema.getOperationTypeDefinitions();
            default -> List.of();
          };
      for (var operation : operations) {
        if (operation.getName().equals("query")) {
          return operation.getTypeName().getName();
        }
      }
    }
    return "Query";
  }

  private static final Set<String> FEDERATION_TYPES =
      Set.of("_Service", "_Any", "_Entity", "_FieldSet", "FieldSet");

  /** The local name of a federation directive. */
  public String directive(String federationName) {
    return names.getOrDefault(federationName, federationName);
  }

  private static @Nullable String string(@Nullable Argument argument) {
    return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
  }
}
