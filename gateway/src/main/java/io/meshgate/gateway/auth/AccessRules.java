package io.meshgate.gateway.auth;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectivesContainer;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import io.meshgate.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who may read what, as the supergraph says with Federation's access directives: {@code
 * @authenticated}, {@code @requiresScopes(scopes:)} and {@code @policy(policies:)} on fields and on
 * object, interface, scalar and enum types.
 *
 * <p>Reading a field needs the field's own requirement and that of the type it returns; a field of
 * an interface also needs what the same field needs on every implementation, and an interface or
 * union type what each of its possible types needs (a selection on the abstract type may reach any
 * of them).
 */
public final class AccessRules {

  private static final Pattern AUTHENTICATED_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/authenticated/v[0-9.]+");
  private static final Pattern SCOPES_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/requiresScopes/v[0-9.]+");
  private static final Pattern POLICY_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/policy/v[0-9.]+");

  /** No rules: every caller reads everything. */
  public static final AccessRules NONE = new AccessRules(Map.of(), Map.of(), Set.of(), Set.of());

  private final Map<String, Requirement> fields;
  private final Map<String, Requirement> types;
  private final Set<String> scopes;
  private final Set<String> policies;

  private AccessRules(
      Map<String, Requirement> fields,
      Map<String, Requirement> types,
      Set<String> scopes,
      Set<String> policies) {
    this.fields = fields;
    this.types = types;
    this.scopes = scopes;
    this.policies = policies;
  }

  /** True when the supergraph restricts nothing. */
  public boolean isEmpty() {
    return fields.isEmpty() && types.isEmpty();
  }

  /** What reading {@code type} needs (nothing when it has no requirement). */
  public Requirement type(String type) {
    return types.getOrDefault(type, Requirement.NONE);
  }

  /**
   * What reading field {@code field} of {@code type} needs, its return type's requirement included.
   */
  public Requirement field(String type, String field) {
    return fields.getOrDefault(type + "." + field, Requirement.NONE);
  }

  /**
   * What distinguishes callers as far as these rules go: two callers with the same key may read
   * exactly the same fields, so an operation filtered for one serves the other.
   */
  public String accessKey(Principal caller, PolicyDecision decision) {
    if (isEmpty()) {
      return "";
    }
    StringBuilder key = new StringBuilder(caller.authenticated() ? "a" : "-");
    for (String scope : new TreeSet<>(caller.scopes())) {
      if (scopes.contains(scope)) {
        key.append(' ').append(scope);
      }
    }
    key.append(" |");
    for (String policy : new TreeSet<>(policies)) {
      if (decision.allows(caller, policy)) {
        key.append(' ').append(policy);
      }
    }
    return key.toString();
  }

  /** Reads the rules of a supergraph. */
  public static AccessRules of(Supergraph supergraph) {
    Names names = names(supergraph);
    if (names == null) {
      return NONE;
    }
    Map<String, Requirement> ownTypes = new HashMap<>();
    Map<String, Requirement> ownFields = new HashMap<>();
    for (var definition : supergraph.document().getDefinitions()) {
      switch (definition) {
        case ObjectTypeDefinition object -> {
          own(ownTypes, object.getName(), names.of(object));
          for (FieldDefinition field : object.getFieldDefinitions()) {
            own(ownFields, object.getName() + "." + field.getName(), names.of(field));
          }
        }
        case InterfaceTypeDefinition iface -> {
          own(ownTypes, iface.getName(), names.of(iface));
          for (FieldDefinition field : iface.getFieldDefinitions()) {
            own(ownFields, iface.getName() + "." + field.getName(), names.of(field));
          }
        }
        case ScalarTypeDefinition scalar -> own(ownTypes, scalar.getName(), names.of(scalar));
        case EnumTypeDefinition e -> own(ownTypes, e.getName(), names.of(e));
        default -> {}
      }
    }
    if (ownTypes.isEmpty() && ownFields.isEmpty()) {
      return NONE;
    }
    Map<String, Requirement> types = new HashMap<>();
    Map<String, Requirement> fields = new HashMap<>();
    for (Supergraph.TypeInfo type : supergraph.types()) {
      Requirement needed = ownTypes.getOrDefault(type.name(), Requirement.NONE);
      Set<String> possible = abstractType(type) ? supergraph.possibleTypes(type.name()) : Set.of();
      for (String member : possible) {
        needed = needed.and(ownTypes.getOrDefault(member, Requirement.NONE));
      }
      if (!needed.isNone()) {
        types.put(type.name(), needed);
      }
    }
    for (Supergraph.TypeInfo type : supergraph.types()) {
      Set<String> possible =
          type.kind() == Supergraph.Kind.INTERFACE
              ? supergraph.possibleTypes(type.name())
              : Set.of();
      for (Supergraph.FieldInfo field : type.fields().values()) {
        Requirement needed =
            ownFields
                .getOrDefault(type.name() + "." + field.name(), Requirement.NONE)
                .and(types.getOrDefault(field.typeName(), Requirement.NONE));
        for (String member : possible) {
          needed =
              needed.and(ownFields.getOrDefault(member + "." + field.name(), Requirement.NONE));
        }
        if (!needed.isNone()) {
          fields.put(type.name() + "." + field.name(), needed);
        }
      }
    }
    Set<String> scopes = new LinkedHashSet<>();
    Set<String> policies = new LinkedHashSet<>();
    for (Requirement requirement : concat(fields.values(), types.values())) {
      requirement.scopes().forEach(scopes::addAll);
      requirement.policies().forEach(policies::addAll);
    }
    return new AccessRules(Map.copyOf(fields), Map.copyOf(types), scopes, policies);
  }

  private static boolean abstractType(Supergraph.TypeInfo type) {
    return type.kind() == Supergraph.Kind.INTERFACE || type.kind() == Supergraph.Kind.UNION;
  }

  private static List<Requirement> concat(Collection<Requirement> a, Collection<Requirement> b) {
    List<Requirement> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void own(Map<String, Requirement> into, String key, Requirement requirement) {
    if (!requirement.isNone()) {
      into.merge(key, requirement, Requirement::and);
    }
  }

  /** The names the supergraph gives the three directives. */
  private record Names(String authenticated, String requiresScopes, String policy) {

    Requirement of(DirectivesContainer<?> element) {
      Requirement requirement = Requirement.NONE;
      for (Directive directive : element.getDirectives()) {
        if (directive.getName().equals(authenticated)) {
          requirement = requirement.and(new Requirement(true, List.of(), List.of()));
        } else if (directive.getName().equals(requiresScopes)) {
          requirement =
              requirement.and(
                  new Requirement(false, alternatives(directive.getArgument("scopes")), List.of()));
        } else if (directive.getName().equals(policy)) {
          requirement =
              requirement.and(
                  new Requirement(
                      false, List.of(), alternatives(directive.getArgument("policies"))));
        }
      }
      return requirement;
    }
  }

  /**
   * A {@code [[String!]!]!} argument, coerced as GraphQL coerces input: a lone string is {@code
   * [["s"]]}, a flat list {@code ["a", "b"]} is {@code [["a"], ["b"]]}. A missing or empty argument
   * allows nobody (it names no way to qualify).
   */
  private static List<Set<String>> alternatives(@Nullable Argument argument) {
    List<Set<String>> result = new ArrayList<>();
    Value<?> value = argument == null ? null : argument.getValue();
    if (value instanceof StringValue single) {
      result.add(Set.of(single.getValue()));
    } else if (value instanceof ArrayValue outer) {
      for (Value<?> element : outer.getValues()) {
        Set<String> all = new LinkedHashSet<>();
        if (element instanceof StringValue s) {
          all.add(s.getValue());
        } else if (element instanceof ArrayValue inner) {
          for (Value<?> item : inner.getValues()) {
            if (item instanceof StringValue s) {
              all.add(s.getValue());
            }
          }
        }
        result.add(all);
      }
    }
    return result.isEmpty() ? Requirement.NOBODY : result;
  }

  private static @Nullable Names names(Supergraph supergraph) {
    String authenticated = null;
    String requiresScopes = null;
    String policy = null;
    Set<String> defined = new LinkedHashSet<>();
    for (var definition : supergraph.document().getDefinitions()) {
      if (definition instanceof DirectiveDefinition directive) {
        defined.add(directive.getName());
      }
      if (!(definition instanceof SchemaDefinition schema)) {
        continue;
      }
      for (Directive link : schema.getDirectives()) {
        if (!link.getName().equals("link")) {
          continue;
        }
        String url = string(link.getArgument("url"));
        String as = string(link.getArgument("as"));
        if (url == null) {
          continue;
        }
        if (AUTHENTICATED_URL.matcher(url).lookingAt()) {
          authenticated = as == null ? "authenticated" : as;
        } else if (SCOPES_URL.matcher(url).lookingAt()) {
          requiresScopes = as == null ? "requiresScopes" : as;
        } else if (POLICY_URL.matcher(url).lookingAt()) {
          policy = as == null ? "policy" : as;
        }
      }
    }
    if (authenticated == null && defined.contains("authenticated")) {
      authenticated = "authenticated";
    }
    if (requiresScopes == null && defined.contains("requiresScopes")) {
      requiresScopes = "requiresScopes";
    }
    if (policy == null && defined.contains("policy")) {
      policy = "policy";
    }
    if (authenticated == null && requiresScopes == null && policy == null) {
      return null;
    }
    return new Names(
        authenticated == null ? "\u0000" : authenticated,
        requiresScopes == null ? "\u0000" : requiresScopes,
        policy == null ? "\u0000" : policy);
  }

  private static @Nullable String string(@Nullable Argument argument) {
    return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
  }
}
