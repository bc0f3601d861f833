package io.meshgate.runtime.subgraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GraphiQL at {@code /graphiql}, with its scripts and styles served from this service (WebJars)
 * rather than a public CDN, so it works offline and in closed networks.
 */
@RestController
public final class GraphiqlPage {

  private final String html;

  /**
   * @param title shown in the browser tab
   * @param endpoint the GraphQL endpoint the page talks to, e.g. {@code /graphql}
   * @param defaultQuery the query shown on first visit
   */
  public GraphiqlPage(String title, String endpoint, String defaultQuery) {
    try (InputStream in = GraphiqlPage.class.getResourceAsStream("/meshgate/graphiql/index.html")) {
      if (in == null) {
        throw new IllegalStateException(
            "meshgate/graphiql/index.html is missing from the classpath");
      }
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      this.html =
          template
              .replace("__TITLE__", escapeHtml(title))
              .replace("__ENDPOINT__", endpoint.replace("'", ""))
              .replace(
                  "__DEFAULT_QUERY__",
                  new ObjectMapper().writeValueAsString(defaultQuery).replace("</", "<\\/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping(path = "/graphiql", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> page() {
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html);
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
