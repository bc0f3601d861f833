package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * GraphiQL at {@code /graphiql} as a person uses it, in headless Chromium: the page loads from the
 * gateway alone, a query typed into the editor runs through the federated gateway, and the answer
 * shows in the result pane.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}; the test fails, rather than
 * skips, without them, since CI installs both.
 */
class GraphiqlBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IN_BROWSER_SCHEMES = Set.of("data", "blob", "about", "chrome");

  private static final String QUERY = "{ topProducts { name inStock } }";

  /** What the operator chose to open GraphiQL with; markup in it must stay text. */
  private static final String OPENING =
      "# Products and their stock </script><b>\n{ topProducts(first: 2) { name } }";

  /** {@code name} comes from the products subgraph, {@code inStock} from inventory. */
  private static final String EXPECTED_RESPONSE =
      """
      {"data":{"topProducts":[{"name":"Table","inStock":true},{"name":"Couch","inStock":false},\
      {"name":"Glass","inStock":false},{"name":"Chair","inStock":false},{"name":"TV","inStock":true}]}}\
      """;

  private static BenchmarkSubgraphs subgraphs;
  private static GatewayServer server;
  private static Path profile;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws IOException {
    requireExecutable(CHROMIUM, "chromium");
    requireExecutable(CHROMEDRIVER, "chromedriver");
    subgraphs = BenchmarkSubgraphs.start();
    Gateway gateway = Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults());
    server =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(gateway),
            io.meshgate.gateway.server.ServerOptions.defaults().withGraphiqlQuery(OPENING));
    profile = Files.createTempDirectory("graphiql-chromium-");
    // An explicit driver executable keeps Selenium Manager, which would download drivers, out of
    // the run.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, chromiumOptions(profile));
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (subgraphs != null) {
      subgraphs.close();
    }
    if (profile != null) {
      deleteRecursively(profile);
    }
  }

  @BeforeEach
  void openGraphiql() {
    browser.manage().logs().get(LogType.PERFORMANCE); // drains what earlier tests recorded
    browser.get(server.url().resolve("/graphiql").toString());
    awaitOrFail(
        () -> !browser.findElements(By.cssSelector(".graphiql-query-editor .CodeMirror")).isEmpty(),
        "GraphiQL's query editor did not appear");
  }

  @Test
  void runsATypedQueryAndShowsTheFederatedResult() throws IOException {
    try {
      typeQuery(QUERY);
      assertThat(editorText(".graphiql-query-editor")).isEqualTo(QUERY);
      browser.findElement(By.cssSelector("button.graphiql-execute-button")).click();
      awaitOrFail(
          () -> editorText(".graphiql-response").contains("TV"),
          "the result pane never showed the data");
      assertThat(JSON.readTree(editorText(".graphiql-response")))
          .isEqualTo(JSON.readTree(EXPECTED_RESPONSE));
    } finally {
      saveScreenshot(Path.of(System.getProperty("basedir", "."), "target", "graphiql.png"));
    }
    assertThat(requestedUrls())
        .as("every request of the page, the query included")
        .contains(server.url().resolve("/graphql").toString())
        .allSatisfy(GraphiqlBrowserIT::assertServedByTheGateway);
  }

  @Test
  void opensOnTheOperationTheOperatorChose() {
    // A first visit: nothing GraphiQL stored from earlier tests (cleared from a page of the same
    // origin).
    browser.get(server.url().resolve("/health").toString());
    browser.executeScript("window.localStorage.clear()");
    browser.get(server.url().resolve("/graphiql").toString());
    awaitOrFail(
        () -> !browser.findElements(By.cssSelector(".graphiql-query-editor .CodeMirror")).isEmpty(),
        "GraphiQL's query editor did not appear");
    assertThat(editorText(".graphiql-query-editor")).isEqualTo(OPENING);
  }

  @Test
  void loadsEveryScriptAndStyleFromTheGatewayItself() {
    @SuppressWarnings("unchecked")
    List<String> named =
        (List<String>)
            browser.executeScript(
                """
                return Array.from(document.querySelectorAll('script[src], link[href], img[src], iframe[src]'))
                    .map(e => e.src || e.href);\
                """);
    List<String> assets = named.stream().filter(url -> !isInBrowser(url)).toList();
    assertThat(assets)
        .as("scripts and styles named by the page")
        .anySatisfy(url -> assertThat(url).endsWith("/graphiql.min.js"))
        .allSatisfy(GraphiqlBrowserIT::assertServedByTheGateway);
    assertThat(requestedUrls())
        .as("every request of the page")
        .contains(server.url().resolve("/graphql").toString())
        .allSatisfy(GraphiqlBrowserIT::assertServedByTheGateway);
  }

  private static ChromeOptions chromiumOptions(Path profile) {
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.PERFORMANCE, Level.ALL);
    logging.enable(LogType.BROWSER, Level.ALL);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900",
        "--user-data-dir=" + profile,
        // Anything not on loopback (which Chromium never proxies) goes to a closed local port and
        // fails, so even a
        // broken page or the browser's own services cannot reach the network; the page's tries
        // still show in the log.
        "--proxy-server=http://127.0.0.1:9");
    options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
    return options;
  }

  /** Types into GraphiQL's query editor as a person would: select all, then type over it. */
  private static void typeQuery(String query) {
    WebElement editor = browser.findElement(By.cssSelector(".graphiql-query-editor .CodeMirror"));
    new Actions(browser)
        .click(editor)
        .keyDown(Keys.CONTROL)
        .sendKeys("a")
        .keyUp(Keys.CONTROL)
        .sendKeys(Keys.DELETE)
        .sendKeys(query)
        .perform();
  }

  /**
   * The text of the CodeMirror editor inside {@code container}, whatever part of it is scrolled
   * into view.
   */
  private static String editorText(String container) {
    Object text =
        browser.executeScript(
            "const cm = document.querySelector(arguments[0] + ' .CodeMirror'); return cm ?"
                + " cm.CodeMirror.getValue() : '';",
            container);
    return String.valueOf(text);
  }

  /**
   * Every network URL the page asked for since the last call, from Chromium's DevTools events.
   * Inline {@code data:} URLs (GraphiQL's fonts) and Chromium's own {@code chrome:} pages (its
   * new-tab page may still be loading when a test starts) never leave the browser, so they are left
   * out.
   */
  private static List<String> requestedUrls() {
    List<String> urls = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode message = readJson(entry.getMessage()).path("message");
      if (!message.path("method").asText().equals("Network.requestWillBeSent")) {
        continue;
      }
      String url = message.path("params").path("request").path("url").asText();
      if (!isInBrowser(url)) {
        urls.add(url);
      }
    }
    return urls;
  }

  private static boolean isInBrowser(String url) {
    return IN_BROWSER_SCHEMES.contains(url.substring(0, Math.max(0, url.indexOf(':'))));
  }

  private static void assertServedByTheGateway(String url) {
    URI uri = URI.create(url);
    URI gateway = server.url();
    assertThat(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort())
        .as("origin of %s", url)
        .isEqualTo(gateway.getScheme() + "://" + gateway.getHost() + ":" + gateway.getPort());
  }

  private static void awaitOrFail(BooleanSupplier condition, String failure) {
    try {
      new WebDriverWait(browser, WAIT).until(driver -> condition.getAsBoolean());
    } catch (TimeoutException e) {
      throw new AssertionError(
          failure + " within " + WAIT + "; the browser console said:\n" + consoleLog(), e);
    }
  }

  private static String consoleLog() {
    StringBuilder log = new StringBuilder();
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      log.append("  ").append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
    }
    return log.isEmpty() ? "  (nothing)" : log.toString();
  }

  private static void saveScreenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }

  private static void requireExecutable(Path binary, String what) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "GraphiqlBrowserIT drives headless Chromium, but there is no "
              + what
              + " at "
              + binary
              + ". Install Debian's browser and driver (as root): "
              + INSTALL_HINT);
    }
  }

  private static JsonNode readJson(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
