package io.meshgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.supergraph.Supergraph;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading who may read what from a supergraph's access directives. */
class AccessRulesTest {

  private static String supergraph(String links, String types) {
    return """
    schema
      @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
      %s
    { query: Query }
    directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
    directive @join__graph(name: String!, url: String!) on ENUM_VALUE
    directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
    directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
    directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
    directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
    scalar join__FieldSet
    scalar link__Import
    enum link__Purpose { SECURITY EXECUTION }
    enum join__Graph { A @join__graph(name: "a", url: "http://127.0.0.1:1/a") }
    %s
    """
        .formatted(links, types);
  }

  private static final String LINKS =
      """
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
      @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
      @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)
      """;

  private static final String DIRECTIVES =
      """
      directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
      directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
      directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
      scalar requiresScopes__Scope
      scalar policy__Policy
      """;

  private static final Principal NOBODY = Principal.ANONYMOUS;

  @Test
  void anInterfaceFieldNeedsWhatEveryImplementationsFieldNeeds() {
    AccessRules rules =
        AccessRules.of(
            Supergraph.parse(
                supergraph(
                    LINKS,
                    DIRECTIVES
                        + """
                        type Query @join__type(graph: A) { accounts: [Account] }
                        interface Account @join__type(graph: A) { id: ID! balance: Int }
                        type Savings implements Account @join__type(graph: A) @join__implements(graph: A, interface: "Account") {
                          id: ID! balance: Int @requiresScopes(scopes: [["finance:read"]]) }
                        type Checking implements Account @join__type(graph: A) @join__implements(graph: A, interface: "Account") {
                          id: ID! balance: Int @requiresScopes(scopes: [["finance:read"], ["auditor"]]) }
                        """)));
    Requirement balance = rules.field("Account", "balance");
    assertThat(balance.scopes())
        .containsExactly(Set.of("finance:read"), Set.of("finance:read", "auditor"));
    assertThat(balance.allows(new Principal("f", Set.of("finance:read")), PolicyDecision.DENY_ALL))
        .isTrue();
    assertThat(balance.allows(new Principal("g", Set.of("auditor")), PolicyDecision.DENY_ALL))
        .isFalse();
    assertThat(rules.field("Account", "id").isNone()).isTrue();
  }

  @Test
  void aFieldNeedsWhatItsTypeNeedsAndAUnionWhatItsMembersNeed() {
    AccessRules rules =
        AccessRules.of(
            Supergraph.parse(
                supergraph(
                    LINKS,
                    DIRECTIVES
                        + """
                        type Query @join__type(graph: A) { salary: Money search: [Hit] }
                        scalar Money @join__type(graph: A) @authenticated
                        union Hit @join__type(graph: A) @join__unionMember(graph: A, member: "Doc") @join__unionMember(graph: A, member: "Secret") = Doc | Secret
                        type Doc @join__type(graph: A) { title: String }
                        type Secret @join__type(graph: A) @policy(policies: [["clearance"]]) { code: String }
                        """)));
    assertThat(rules.field("Query", "salary").authenticated()).isTrue();
    assertThat(rules.type("Hit").policies()).containsExactly(Set.of("clearance"));
    assertThat(rules.field("Query", "search").policies()).containsExactly(Set.of("clearance"));
    Principal cleared = new Principal("c", Set.of());
    assertThat(rules.type("Secret").allows(cleared, (who, policy) -> policy.equals("clearance")))
        .isTrue();
    assertThat(rules.type("Secret").allows(cleared, PolicyDecision.DENY_ALL)).isFalse();
    assertThat(rules.type("Doc").isNone()).isTrue();
  }

  @Test
  void renamedDirectivesAndCoercedArgumentsAreRead() {
    AccessRules rules =
        AccessRules.of(
            Supergraph.parse(
                supergraph(
                    """
                    @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
                    """,
                    """
                    directive @scopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION
                    scalar requiresScopes__Scope
                    type Query @join__type(graph: A) {
                      one: Int @scopes(scopes: "a")
                      flat: Int @scopes(scopes: ["a", "b"])
                      none: Int @scopes(scopes: [])
                    }
                    """)));
    assertThat(rules.field("Query", "one").scopes()).containsExactly(Set.of("a"));
    assertThat(rules.field("Query", "flat").scopes()).containsExactly(Set.of("a"), Set.of("b"));
    // An empty list names no way to qualify: nobody reads the field.
    assertThat(
            rules
                .field("Query", "none")
                .allows(new Principal("x", Set.of("a", "b")), PolicyDecision.DENY_ALL))
        .isFalse();
  }

  @Test
  void withoutAccessDirectivesThereAreNoRulesAndOneAccessClass() {
    AccessRules rules =
        AccessRules.of(
            Supergraph.parse(supergraph("", "type Query @join__type(graph: A) { n: Int }")));
    assertThat(rules.isEmpty()).isTrue();
    assertThat(rules.accessKey(new Principal("a", Set.of("x")), PolicyDecision.DENY_ALL))
        .isEqualTo(rules.accessKey(NOBODY, PolicyDecision.DENY_ALL));
  }

  @Test
  void callersDifferOnlyByWhatTheRulesMention() {
    AccessRules rules =
        AccessRules.of(
            Supergraph.parse(
                supergraph(
                    LINKS,
                    DIRECTIVES
                        + "type Query @join__type(graph: A) { n: Int @requiresScopes(scopes:"
                        + " [[\"a\"]]) }")));
    String withA = rules.accessKey(new Principal("u", Set.of("a", "zzz")), PolicyDecision.DENY_ALL);
    assertThat(withA)
        .isEqualTo(rules.accessKey(new Principal("v", Set.of("a")), PolicyDecision.DENY_ALL));
    assertThat(withA)
        .isNotEqualTo(rules.accessKey(new Principal("w", Set.of()), PolicyDecision.DENY_ALL));
    assertThat(rules.accessKey(new Principal("w", Set.of()), PolicyDecision.DENY_ALL))
        .isNotEqualTo(rules.accessKey(NOBODY, PolicyDecision.DENY_ALL));
  }

  @Test
  void rulesWrittenInSubgraphsReachTheGatewayThroughItsOwnComposition() {
    String sales =
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
          import: ["@key", "@requiresScopes", "@authenticated"])
        type Query { customer(id: ID!): Customer }
        type Customer @key(fields: "id") {
          id: ID!
          email: String @requiresScopes(scopes: [["pii:read"]])
        }
        """;
    String finance =
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
          import: ["@key", "@requiresScopes", "@authenticated"])
        type Customer @key(fields: "id") {
          id: ID!
          balance: Int @requiresScopes(scopes: [["finance:read"]]) @authenticated
        }
        """;
    String supergraph =
        io.meshgate.gateway.compose.Composer.compose(
            List.of(
                io.meshgate.gateway.compose.SubgraphSchema.parse(
                    "sales", java.net.URI.create("http://127.0.0.1:1/graphql"), sales),
                io.meshgate.gateway.compose.SubgraphSchema.parse(
                    "finance", java.net.URI.create("http://127.0.0.1:2/graphql"), finance)));
    AccessRules rules = AccessRules.of(Supergraph.parse(supergraph));
    assertThat(rules.field("Customer", "email").scopes()).containsExactly(Set.of("pii:read"));
    assertThat(rules.field("Customer", "balance").authenticated()).isTrue();
    assertThat(rules.field("Customer", "balance").scopes()).containsExactly(Set.of("finance:read"));
    assertThat(rules.field("Customer", "id").isNone()).isTrue();
  }

  @Test
  void combiningTooManyAlternativesFailsClosed() {
    Requirement wide = Requirement.NONE;
    for (int i = 0; i < 3; i++) {
      List<Set<String>> alternatives = new java.util.ArrayList<>();
      for (int j = 0; j < 10; j++) {
        alternatives.add(Set.of("s" + i + "-" + j));
      }
      wide = wide.and(new Requirement(false, alternatives, List.of()));
    }
    // 10 x 10 x 10 ways would be needed; none is kept, and nobody qualifies.
    assertThat(
            wide.allows(
                new Principal("x", Set.of("s0-0", "s1-0", "s2-0")), PolicyDecision.DENY_ALL))
        .isFalse();
  }
}
