package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.gateway.auth.LocalSigningKey;
import io.meshgate.launcher.Mesh;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The embedded mesh's gateway verifies tokens signed by the key it keeps under its data directory
 * (what {@code ./meshgate token} prints), and serves callers without a token as anonymous.
 */
class MeshAuthenticationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> post(Mesh mesh, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(mesh.gatewayUrl().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ warehouses { id } }\"}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokenFromTheMeshsOwnKeyIsAcceptedAndAForgedOneRefused() throws Exception {
    Mesh mesh = SharedMesh.get();
    String token =
        LocalSigningKey.load(mesh.dataDir().resolve("auth"))
            .issue("alice", Set.of("sales:read"), Duration.ofMinutes(5));
    HttpResponse<String> alice = post(mesh, "Bearer " + token);
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    assertThat(JSON.readTree(alice.body()).has("data")).isTrue();

    assertThat(post(mesh, null).statusCode()).isEqualTo(200);

    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    HttpResponse<String> refused = post(mesh, "Bearer " + forged);
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonNode body = JSON.readTree(refused.body());
    assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHENTICATED");
  }
}
