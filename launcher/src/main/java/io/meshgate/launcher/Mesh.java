package io.meshgate.launcher;

import io.meshgate.audit.service.AuditProperties;
import io.meshgate.audit.service.AuditService;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.catalog.service.CatalogService;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.SubgraphWatcher;
import io.meshgate.gateway.auth.LocalSigningKey;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.launcher.embedded.EmbeddedKafkaBroker;
import io.meshgate.launcher.embedded.EmbeddedPostgresServer;
import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.product.sales.SalesProduct;
import io.meshgate.runtime.startup.UnreachableException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole mesh in one process: Postgres and Kafka (embedded under the data directory unless
 * external ones are configured) and every data product. Closing it stops the products first, so
 * their capture offsets are flushed while Kafka and Postgres are still up.
 */
public final class Mesh implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mesh.class);

  /** Name (and database) of the audit log service. */
  public static final String AUDIT = "audit";

  private static final int AUDIT_PORT = 8085;

  /** Name of the enterprise catalog service. */
  public static final String CATALOG = "catalog";

  private static final int CATALOG_PORT = 8084;

  private final LauncherSettings settings;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private @Nullable EmbeddedPostgresServer postgres;
  private String kafkaBootstrapServers = "";
  private final Map<String, ConfigurableApplicationContext> products = new LinkedHashMap<>();

  /** The mesh's own subgraph services beside the products (audit log, enterprise catalog). */
  private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();

  private @Nullable GatewayServer gateway;

  private Mesh(LauncherSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything the settings call for and returns once every product serves.
   *
   * @throws UnreachableException when an external Kafka or Postgres cannot be reached
   */
  public static Mesh start(LauncherSettings settings) {
    Mesh mesh = new Mesh(settings);
    try {
      mesh.startInfrastructure();
      mesh.startProducts();
      mesh.startAudit();
      mesh.startCatalog();
      mesh.startGateway();
      return mesh;
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  private void startInfrastructure() {
    Path data = settings.dataDir().toAbsolutePath();
    if (settings.postgresUrl() == null) {
      EmbeddedPostgresServer server =
          EmbeddedPostgresServer.start(
              data.resolve("postgres"), settings.postgresPort(), settings.maxSlotWalKeepSize());
      postgres = server;
      toClose.push(server);
    } else {
      checkPostgres(settings.postgresUrl() + "/postgres");
    }
    if (settings.kafkaBootstrapServers() == null) {
      EmbeddedKafkaBroker broker =
          EmbeddedKafkaBroker.start(data.resolve("kafka"), settings.kafkaPort());
      toClose.push(broker);
      kafkaBootstrapServers = broker.bootstrapServers();
    } else {
      kafkaBootstrapServers = settings.kafkaBootstrapServers();
      checkKafka(kafkaBootstrapServers);
    }
  }

  /** Starts every data product on the classpath, each with its own database. */
  private void startProducts() {
    for (DataProductModule module : ProductRuntime.discover()) {
      String name = module.name();
      createDatabaseIfAbsent(name);
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("server.port", settings.portOf(name, module.defaultPort()));
      props.put("spring.datasource.url", jdbcUrl(name));
      props.put("spring.datasource.username", user());
      props.put("spring.datasource.password", password());
      props.put("meshgate.kafka-bootstrap-servers", kafkaBootstrapServers);
      props.put(
          "meshgate.state-dir", settings.dataDir().toAbsolutePath().resolve("products").toString());
      props.put("meshgate.sample-data", settings.sampleData());
      ConfigurableApplicationContext context = ProductRuntime.start(module, props);
      products.put(name, context);
      toClose.push(context::close);
    }
  }

  /**
   * The audit log: every product's change topics into per-product hash chains in its own database,
   * signed heads to {@code mesh.audit.heads}, and its subgraph ({@code history} on every product
   * entity, proofs, verification).
   */
  private void startAudit() {
    createDatabaseIfAbsent(AUDIT);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", settings.portOf(AUDIT, AUDIT_PORT));
    props.put("spring.datasource.url", jdbcUrl(AUDIT));
    props.put("spring.datasource.username", user());
    props.put("spring.datasource.password", password());
    props.put("meshgate.kafka-bootstrap-servers", kafkaBootstrapServers);
    props.put("meshgate.state-dir", settings.dataDir().toAbsolutePath().resolve(AUDIT).toString());
    // Heads every 10 s (when the log grew), so the enterprise catalog shows a recent one.
    props.put("meshgate.audit.head-interval", "PT10S");
    ConfigurableApplicationContext context = AuditService.start(props);
    services.put(AUDIT, context);
    toClose.push(context::close);
  }

  /**
   * The enterprise catalog: every product's catalog entries, metrics and audit heads from Kafka
   * into a Lucene index under the data directory, served as a subgraph (search, lineage).
   */
  private void startCatalog() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("server.port", settings.portOf(CATALOG, CATALOG_PORT));
    props.put("meshgate.kafka-bootstrap-servers", kafkaBootstrapServers);
    props.put(
        "meshgate.state-dir", settings.dataDir().toAbsolutePath().resolve(CATALOG).toString());
    // The catalog shows a product's audit head only if the audit log's key signed it: the key the
    // audit service created (it started first), read from its file rather than from any topic.
    Path auditKeys = services.get(AUDIT).getBean(AuditProperties.class).keyDirectory();
    props.put(
        "meshgate.catalog.audit-public-keys",
        auditKeys.resolve(SigningKeys.PUBLIC_KEY_FILE).toAbsolutePath().toString());
    ConfigurableApplicationContext context = CatalogService.start(props);
    services.put(CATALOG, context);
    toClose.push(context::close);
  }

  /**
   * What GraphiQL opens with: one customer across the three products (the first sample customer).
   */
  public static final String GRAPHIQL_EXAMPLE =
      """
      # One customer across the three products: sales owns the customer,
      # distribution the orders' shipping, finance the accounts and balance.
      # Press the run button (or Ctrl-Enter); the book icon on the left opens the docs.
      query CustomerAcrossProducts {
        customer(id: "99b4f4d4-504f-3c40-b1ce-f5e2d86126b5") {
          name
          country
          orders { status total destinationCountry shippingEstimateDays }
          accounts { currency balance }
          balance
        }
      }
      """;

  /** The gateway composes every subgraph of the mesh and follows their schema changes. */
  private void startGateway() {
    Map<String, URI> subgraphs = new LinkedHashMap<>();
    products.keySet().forEach(name -> subgraphs.put(name, productUrl(name).resolve("/graphql")));
    services.keySet().forEach(name -> subgraphs.put(name, serviceUrl(name).resolve("/graphql")));
    GatewayOptions options = GatewayOptions.defaults();
    Map<String, String> sdls = SubgraphIntrospection.fetchSdls(subgraphs, Duration.ofSeconds(30));
    Gateway composed =
        Gateway.fromSupergraph(SubgraphIntrospection.compose(sdls, subgraphs), options);
    GatewayServer server;
    try {
      server =
          GatewayServer.start(
              "127.0.0.1",
              settings.gatewayPort(),
              new AtomicReference<>(composed),
              ServerOptions.defaults()
                  .withGraphiqlQuery(GRAPHIQL_EXAMPLE)
                  .withExposeQueryPlans(settings.exposeQueryPlans())
                  // Tokens signed by the mesh's own key (./meshgate token); callers without one
                  // are served as the anonymous caller, which the access rules then apply to.
                  .withAuthentication(
                      LocalSigningKey.loadOrCreate(settings.dataDir().resolve("auth"))
                          .authentication(true)));
    } catch (IOException e) {
      composed.close();
      throw new IllegalStateException(
          "cannot listen on 127.0.0.1:"
              + settings.gatewayPort()
              + " for the gateway: "
              + e.getMessage(),
          e);
    }
    gateway = server;
    toClose.push(server);
    SubgraphWatcher watcher =
        new SubgraphWatcher(subgraphs, sdls, options, server, Duration.ofSeconds(5));
    toClose.push(watcher);
  }

  /** Base URL of the federation gateway, e.g. {@code http://127.0.0.1:8080}. */
  public URI gatewayUrl() {
    GatewayServer server = gateway;
    if (server == null) {
      throw new IllegalStateException("the gateway is not running");
    }
    return server.url();
  }

  /**
   * The data directory everything embedded keeps its state under ({@code postgres/}, {@code
   * kafka/}, ...).
   */
  public Path dataDir() {
    return settings.dataDir().toAbsolutePath();
  }

  /** JDBC URL of a product's database. */
  public String jdbcUrl(String product) {
    EmbeddedPostgresServer server = postgres;
    return server != null ? server.jdbcUrl(product) : settings.postgresUrl() + "/" + product;
  }

  /** Database user of the products. */
  public String user() {
    EmbeddedPostgresServer server = postgres;
    return server != null ? server.user() : settings.postgresUser();
  }

  /** Database password of the products. */
  public String password() {
    EmbeddedPostgresServer server = postgres;
    return server != null ? server.password() : settings.postgresPassword();
  }

  /** Kafka bootstrap servers the mesh uses. */
  public String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  /** The sales product's Spring context. */
  public ConfigurableApplicationContext sales() {
    return product(SalesProduct.NAME);
  }

  /** A running product's Spring context. */
  public ConfigurableApplicationContext product(String name) {
    ConfigurableApplicationContext context = products.get(name);
    if (context == null) {
      throw new IllegalStateException("the " + name + " product is not running");
    }
    return context;
  }

  /** Names of the running products, in start order. */
  public Set<String> productNames() {
    return Collections.unmodifiableSet(products.keySet());
  }

  /** Base URL of the sales service, e.g. {@code http://127.0.0.1:8081}. */
  public URI salesUrl() {
    return productUrl(SalesProduct.NAME);
  }

  /** A running mesh service's Spring context: {@code audit} or {@code catalog}. */
  public ConfigurableApplicationContext service(String name) {
    ConfigurableApplicationContext context = services.get(name);
    if (context == null) {
      throw new IllegalStateException("the " + name + " service is not running");
    }
    return context;
  }

  /** Names of the running mesh services (beside the products), in start order. */
  public Set<String> serviceNames() {
    return Collections.unmodifiableSet(services.keySet());
  }

  /** Base URL of a mesh service, e.g. the audit log's. */
  public URI serviceUrl(String name) {
    int port = ((WebServerApplicationContext) service(name)).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Base URL of a product's service. */
  public URI productUrl(String name) {
    int port = ((WebServerApplicationContext) product(name)).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port);
  }

  private void createDatabaseIfAbsent(String database) {
    EmbeddedPostgresServer server = postgres;
    if (server != null) {
      server.createDatabaseIfAbsent(database);
      return;
    }
    try (Connection connection = connect(settings.postgresUrl() + "/postgres");
        Statement statement = connection.createStatement()) {
      var rs =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!rs.next()) {
        statement.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database "
              + database
              + " on "
              + settings.postgresUrl()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void checkPostgres(String url) {
    try (Connection ignored = connect(url)) {
      log.info("using external Postgres at {}", settings.postgresUrl());
    } catch (SQLException e) {
      throw new UnreachableException(
          "Postgres",
          settings.postgresUrl() == null ? url : settings.postgresUrl(),
          e.getMessage());
    }
  }

  private Connection connect(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.postgresUser());
    props.setProperty("password", settings.postgresPassword());
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  private static void checkKafka(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
      log.info("using external Kafka at {}", bootstrapServers);
    } catch (TimeoutException e) {
      throw new UnreachableException("Kafka", bootstrapServers, "no broker answered within 10 s");
    } catch (ExecutionException e) {
      throw new UnreachableException("Kafka", bootstrapServers, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (KafkaException e) {
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new UnreachableException("Kafka", bootstrapServers, reason);
    }
  }

  @Override
  public void close() {
    while (!toClose.isEmpty()) {
      AutoCloseable next = toClose.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", next, e.getMessage());
      }
    }
  }

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
