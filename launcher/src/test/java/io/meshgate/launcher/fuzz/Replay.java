package io.meshgate.launcher.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one operation of a seeded run again and prints it whole, with its answer and what it
 * violates.
 */
final class Replay {

  private Replay() {}

  static void print(long seed, List<Target> targets, int index, PrintStream out)
      throws IOException, InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Map<String, SchemaModel> schemas = new LinkedHashMap<>();
    for (Target t : targets) {
      try {
        schemas.put(t.name(), SchemaModel.introspect(http, t, ResponseCheck.JSON));
      } catch (IOException e) {
        out.println("note: no schema from " + t.name() + ": " + e.getMessage());
      }
    }
    OperationGenerator generator = new OperationGenerator(seed, targets, schemas);
    Target target = generator.target(index);
    FuzzRequest request = generator.generate(index);
    out.printf(
        "seed %d, operation %d -> %s%ncategory %s: %s%n%s%n",
        seed, index, target, request.category(), request.variant(), request.preview(8_000));
    URI uri =
        request.rawQuery().isEmpty()
            ? target.graphql()
            : URI.create(target.graphql() + "?" + request.rawQuery());
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    if (request.accept() != null) {
      builder.header("Accept", request.accept());
    }
    builder.method(
        request.method(),
        request.method().equals("GET")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    long sent = System.nanoTime();
    HttpResponse<byte[]> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    out.printf(
        "%nanswer after %d ms: %d %s%n%s%n",
        (System.nanoTime() - sent) / 1_000_000,
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse("(no content type)"),
        FuzzRequest.excerpt(new String(response.body(), StandardCharsets.UTF_8), 8_000));
    List<Violation> violations =
        ResponseCheck.check(target, index, request, response.statusCode(), response.body());
    out.println(violations.isEmpty() ? "\nno violation" : "\nviolations:");
    violations.forEach(v -> out.printf("  [%s] %s%n", v.kind(), v.detail()));
  }
}
