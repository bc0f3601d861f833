package io.meshgate.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * GraphiQL's page and its scripts and styles, served from the WebJars inside the jar so the page
 * works with no network (public CDNs are unreachable offline and in closed networks).
 */
final class GraphiqlAssets {

  /** A static file. */
  record Asset(byte[] bytes, String contentType) {}

  private static final Map<String, String> PACKAGES =
      Map.of("graphiql", "graphiql", "react", "react", "react-dom", "react-dom");

  private final byte[] page;
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();

  GraphiqlAssets(String endpoint, String defaultQuery) {
    String graphiql = version("graphiql");
    String react = version("react");
    String reactDom = version("react-dom");
    String html =
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Meshgate · GraphiQL</title>
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <link rel="icon" href="data:,">
          <link rel="stylesheet" href="/webjars/graphiql/%1$s/graphiql.min.css">
          <style>html, body, #graphiql { height: 100%%; margin: 0; }</style>
        </head>
        <body>
        <div id="graphiql">Loading GraphiQL…</div>
        <script src="/webjars/react/%2$s/umd/react.production.min.js"></script>
        <script src="/webjars/react-dom/%3$s/umd/react-dom.production.min.js"></script>
        <script src="/webjars/graphiql/%1$s/graphiql.min.js"></script>
        <script>
          const fetcher = GraphiQL.createFetcher({ url: new URL('%4$s', window.location.href).toString() });
          const defaultQuery = %5$s;
          ReactDOM.createRoot(document.getElementById('graphiql')).render(
            React.createElement(GraphiQL, Object.assign({ fetcher, defaultEditorToolsVisibility: true },
              defaultQuery ? { defaultQuery, defaultTabs: [{ query: defaultQuery }] } : {})));
        </script>
        </body>
        </html>
        """
            .formatted(graphiql, react, reactDom, endpoint, scriptString(defaultQuery));
    this.page = html.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A JavaScript string literal that cannot end the script element it is written into: JSON's
   * string syntax, with the characters HTML or older JavaScript would read otherwise escaped too.
   */
  private static String scriptString(String text) {
    String json;
    try {
      json = new ObjectMapper().writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string is always JSON", e);
    }
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  byte[] page() {
    return page;
  }

  /** The asset at a {@code /webjars/<package>/<version>/<file>} path, or null. */
  @Nullable Asset asset(String path) {
    if (path.contains("..")) {
      return null;
    }
    String[] parts = path.split("/", 4);
    if (parts.length < 4 || !PACKAGES.containsKey(parts[2])) {
      return null;
    }
    return cache.computeIfAbsent(path, p -> load("META-INF/resources" + p));
  }

  private static @Nullable Asset load(String resource) {
    try (InputStream in = GraphiqlAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      String type =
          resource.endsWith(".css")
              ? "text/css; charset=utf-8"
              : resource.endsWith(".js")
                  ? "text/javascript; charset=utf-8"
                  : "application/octet-stream";
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String version(String artifact) {
    String resource = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = GraphiqlAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the " + artifact + " WebJar is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
