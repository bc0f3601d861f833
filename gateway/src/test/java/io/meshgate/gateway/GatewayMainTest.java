package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.meshgate.gateway.GatewayMain.Help;
import io.meshgate.gateway.GatewayMain.Serve;
import io.meshgate.gateway.GatewayMain.UsageException;
import io.meshgate.gateway.auth.Authentication;
import io.meshgate.gateway.auth.TokenAuthenticator;
import io.meshgate.gateway.server.ServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line of {@code gateway.jar}, as docs/gateway.md gives it. */
class GatewayMainTest {

  private static Serve serve(String... args) {
    return (Serve) GatewayMain.read(args);
  }

  @Test
  void aSupergraphFileAloneServesItOnLoopbackPort4000WithTheDefaultLimits() {
    Serve serve = serve("--supergraph", "supergraph.graphql");

    assertThat(serve)
        .isEqualTo(
            new Serve(
                "supergraph.graphql",
                Map.of(),
                "127.0.0.1",
                4000,
                GatewayOptions.defaults(),
                ServerOptions.defaults(),
                Duration.ofSeconds(10)));
  }

  @Test
  void subgraphsAreComposedInTheOrderGiven() {
    Serve serve =
        serve(
            "--subgraph",
            "sales=http://127.0.0.1:8081/graphql",
            "--subgraph=finance=http://127.0.0.1:8083/graphql",
            "--subgraph",
            "distribution=http://127.0.0.1:8082/graphql");

    assertThat(serve.supergraph()).isNull();
    assertThat(serve.subgraphs())
        .containsExactly(
            Map.entry("sales", URI.create("http://127.0.0.1:8081/graphql")),
            Map.entry("finance", URI.create("http://127.0.0.1:8083/graphql")),
            Map.entry("distribution", URI.create("http://127.0.0.1:8082/graphql")));
  }

  @Test
  void readsEveryOption() {
    Serve serve =
        serve(
            "--supergraph",
            "s.graphql",
            "--port",
            "0",
            "--host",
            "0.0.0.0",
            "--subgraph-timeout",
            "500",
            "--subgraph-timeout",
            "sales=200",
            "--dedupe-inflight",
            "--max-depth",
            "10",
            "--max-aliases",
            "20",
            "--max-selections",
            "30",
            "--poll-interval",
            "40",
            "--request-timeout=50",
            "--max-subgraph-response-bytes",
            "60",
            "--max-concurrent-requests",
            "70",
            "--expose-query-plans",
            "--allowed-origins",
            "https://app.example.com, *",
            "--allowed-hosts",
            "mesh.example.com,",
            "--reject-unauthorized");

    assertThat(serve.host()).isEqualTo("0.0.0.0");
    assertThat(serve.port()).isZero();
    assertThat(serve.pollInterval()).isEqualTo(Duration.ofMillis(40));
    assertThat(serve.gatewayOptions())
        .isEqualTo(
            new GatewayOptions(
                Duration.ofMillis(500),
                Map.of("sales", Duration.ofMillis(200)),
                10,
                20,
                30,
                GatewayOptions.defaults().maxQueryBytes(),
                GatewayOptions.defaults().planCacheSize(),
                true,
                Duration.ofMillis(50),
                60,
                true));
    assertThat(serve.serverOptions())
        .isEqualTo(
            new ServerOptions(
                70,
                true,
                Set.of("https://app.example.com", "*"),
                Set.of("mesh.example.com"),
                "",
                null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpNeedsNoSupergraph(String flag) {
    assertThat(GatewayMain.read(new String[] {flag})).isEqualTo(new Help());
    assertThat(GatewayMain.read(new String[] {"--port", "1", flag})).isEqualTo(new Help());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--supergraph s.graphql --bogus 1          | unknown option --bogus",
        "--supergraph s.graphql --bogus=1          | unknown option --bogus",
        "--supergraph s.graphql extra              | unexpected argument 'extra'",
        "--supergraph s.graphql --port             | --port needs a value",
        "--port 4000                               | give either --supergraph FILE or one or more"
            + " --subgraph NAME=URL",
        "--supergraph s.graphql --subgraph a=http://a | give either --supergraph FILE or one or"
            + " more --subgraph NAME=URL",
        "--subgraph sales                          | --subgraph takes NAME=URL (got 'sales')",
        "--subgraph sales=http://bad^host/graphql  | --subgraph sales has an invalid URL"
      })
  void aCommandLineItDoesNotUnderstandIsAUsageError(String args, String message) {
    assertThatThrownBy(() -> GatewayMain.read(args.split(" ")))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void tokenOptionsBecomeTheServersAuthentication() {
    Serve serve =
        (Serve)
            GatewayMain.read(
                new String[] {
                  "--supergraph", "s.graphql",
                  "--jwks-url", "https://id.example.com/.well-known/jwks.json",
                  "--jwks-refresh", "120",
                  "--jwt-issuers", "https://id.example.com",
                  "--jwt-audiences", "meshgate,mesh",
                  "--jwt-algorithms", "ES256,EdDSA",
                  "--scope-claims", "scp,realm_access.roles",
                  "--jwt-clock-skew", "0",
                  "--require-authentication"
                });
    Authentication authentication = serve.serverOptions().authentication();
    assertThat(authentication).isNotNull();
    assertThat(authentication.jwksUrl())
        .isEqualTo(URI.create("https://id.example.com/.well-known/jwks.json"));
    assertThat(authentication.refresh()).isEqualTo(Duration.ofSeconds(120));
    assertThat(authentication.settings())
        .isEqualTo(
            new TokenAuthenticator.Settings(
                Set.of("https://id.example.com"),
                Set.of("meshgate", "mesh"),
                Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA),
                List.of("scp", "realm_access.roles"),
                Duration.ZERO,
                false));
    Serve withFile =
        (Serve)
            GatewayMain.read(
                new String[] {"--supergraph", "s.graphql", "--jwks-file", "keys.json"});
    assertThat(withFile.serverOptions().authentication().jwksFile())
        .isEqualTo(Path.of("keys.json"));
    assertThat(withFile.serverOptions().authentication().settings().anonymous()).isTrue();
    assertThat(
            ((Serve) GatewayMain.read(new String[] {"--supergraph", "s.graphql"}))
                .serverOptions()
                .authentication())
        .isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--require-authentication                  | token options need the keys to verify tokens"
            + " with: give --jwks-file or --jwks-url",
        "--jwt-audiences a                         | token options need the keys to verify tokens"
            + " with: give --jwks-file or --jwks-url",
        "--jwks-file k.json --jwks-url http://id/k | give --jwks-file or --jwks-url, not both",
        "--jwks-file k.json --jwks-refresh 5       | --jwks-refresh applies to --jwks-url; a"
            + " --jwks-file is read again when it changes",
        "--jwks-url ftp://id/keys                  | --jwks-url must be an http(s) URL (got"
            + " 'ftp://id/keys')",
        "--jwks-url http://id/k --jwks-refresh 0   | --jwks-refresh must be a positive number (got"
            + " '0')",
        "--jwks-file k.json --jwt-clock-skew -1    | --jwt-clock-skew must be zero or a positive"
            + " number (got '-1')",
        "--jwks-file k.json --scope-claims ,       | --scope-claims needs at least one claim name"
      })
  void aTokenOptionThatCannotWorkIsAnError(String args, String message) {
    String[] given = ("--supergraph s.graphql " + args).split("\\s+");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GatewayMain.read(given))
        .withMessage(message);
  }

  @Test
  void anUnknownSignatureAlgorithmIsNamed() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                GatewayMain.read(
                    new String[] {
                      "--supergraph",
                      "s.graphql",
                      "--jwks-file",
                      "k.json",
                      "--jwt-algorithms",
                      "HS256"
                    }))
        .withMessageStartingWith(
            "--jwt-algorithms: unknown or unaccepted signature algorithm 'HS256'");
  }

  @Test
  void aMistypedOptionGetsASuggestion() {
    assertThatThrownBy(
            () -> GatewayMain.read(new String[] {"--supergraph", "s.graphql", "--max-dept", "5"}))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("unknown option --max-dept\n")
        .hasMessageContaining("did you mean --max-depth");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--port,                         70000",
    "--port,                         http",
    "--max-depth,                    0",
    "--max-aliases,                  -1",
    "--max-selections,               many",
    "--poll-interval,                0",
    "--request-timeout,              1.5",
    "--max-subgraph-response-bytes,  0",
    "--max-concurrent-requests,      0",
    "--subgraph-timeout,             0"
  })
  void aBadValueIsAnErrorNamingTheOption(String option, String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> GatewayMain.read(new String[] {"--supergraph", "s.graphql", option, value}))
        .isNotInstanceOf(UsageException.class)
        .withMessageStartingWith(option + " must be ")
        .withMessageEndingWith("(got '" + value + "')");
  }

  @Test
  void aBadTimeoutOfOneSubgraphNamesTheOption() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                GatewayMain.read(
                    new String[] {"--supergraph", "s.graphql", "--subgraph-timeout", "sales=0"}))
        .withMessageStartingWith("--subgraph-timeout")
        .withMessageContaining("sales")
        .withMessageEndingWith("(got '0')");
  }

  @Test
  void usageListsEveryOption() {
    assertThat(GatewayMain.usage())
        .contains(
            "--supergraph",
            "--subgraph",
            "--port",
            "--host",
            "--subgraph-timeout",
            "--dedupe-inflight",
            "--max-depth",
            "--max-aliases",
            "--max-selections",
            "--poll-interval",
            "--request-timeout",
            "--max-subgraph-response-bytes",
            "--max-concurrent-requests",
            "--expose-query-plans",
            "--allowed-origins",
            "--allowed-hosts");
  }
}
