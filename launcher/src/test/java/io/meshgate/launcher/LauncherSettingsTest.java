package io.meshgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LauncherSettingsTest {

  private static final Function<String, @Nullable String> NO_ENV = name -> null;

  @Test
  void withoutOptionsOrEnvironmentRunsEverythingEmbeddedWithDefaults() {
    LauncherSettings settings = LauncherSettings.parse(new String[0], NO_ENV);

    assertThat(settings)
        .isEqualTo(
            new LauncherSettings(
                Path.of("meshgate-data"),
                null,
                null,
                "postgres",
                "postgres",
                0,
                0,
                8081,
                true,
                8080,
                java.util.Map.of(),
                0));
  }

  @Test
  void readsFlagFollowedByValue() {
    LauncherSettings settings =
        LauncherSettings.parse(
            new String[] {
              "--data-dir", "/var/lib/meshgate",
              "--kafka-bootstrap-servers", "kafka-1:9092,kafka-2:9092",
              "--postgres-url", "jdbc:postgresql://db.internal:5432",
              "--postgres-user", "mesh",
              "--postgres-password", "s3cret",
              "--kafka-port", "19092",
              "--postgres-port", "15432",
              "--sales-port", "18081",
              "--sample-data", "false"
            },
            NO_ENV);

    assertThat(settings)
        .isEqualTo(
            new LauncherSettings(
                Path.of("/var/lib/meshgate"),
                "kafka-1:9092,kafka-2:9092",
                "jdbc:postgresql://db.internal:5432",
                "mesh",
                "s3cret",
                19092,
                15432,
                18081,
                false,
                8080,
                java.util.Map.of(),
                0));
  }

  @Test
  void readsFlagEqualsValue() {
    LauncherSettings settings =
        LauncherSettings.parse(
            new String[] {
              "--data-dir=/var/lib/meshgate",
              "--kafka-bootstrap-servers=kafka-1:9092",
              "--postgres-url=jdbc:postgresql://db.internal:5432",
              "--postgres-user=mesh",
              "--postgres-password=pa=ss",
              "--kafka-port=19092",
              "--postgres-port=15432",
              "--sales-port=18081",
              "--sample-data=no"
            },
            NO_ENV);

    assertThat(settings)
        .isEqualTo(
            new LauncherSettings(
                Path.of("/var/lib/meshgate"),
                "kafka-1:9092",
                "jdbc:postgresql://db.internal:5432",
                "mesh",
                "pa=ss",
                19092,
                15432,
                18081,
                false,
                8080,
                java.util.Map.of(),
                0));
  }

  @Test
  void fallsBackToEnvironmentForOptionsNotGiven() {
    Map<String, String> env =
        Map.of(
            "MESHGATE_DATA_DIR", "/srv/mesh",
            "MESHGATE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "MESHGATE_POSTGRES_URL", "jdbc:postgresql://pg:5432",
            "MESHGATE_POSTGRES_USER", "env-user",
            "MESHGATE_POSTGRES_PASSWORD", "env-password",
            "MESHGATE_KAFKA_PORT", "29092",
            "MESHGATE_POSTGRES_PORT", "25432",
            "MESHGATE_SALES_PORT", "28081",
            "MESHGATE_SAMPLE_DATA", "0");

    LauncherSettings settings = LauncherSettings.parse(new String[0], env::get);

    assertThat(settings)
        .isEqualTo(
            new LauncherSettings(
                Path.of("/srv/mesh"),
                "kafka:9092",
                "jdbc:postgresql://pg:5432",
                "env-user",
                "env-password",
                29092,
                25432,
                28081,
                false,
                8080,
                java.util.Map.of(),
                0));
  }

  @Test
  void flagWinsOverEnvironment() {
    Map<String, String> env =
        Map.of("MESHGATE_SALES_PORT", "28081", "MESHGATE_DATA_DIR", "/srv/mesh");

    LauncherSettings settings =
        LauncherSettings.parse(new String[] {"--sales-port", "9000"}, env::get);

    assertThat(settings.salesPort()).isEqualTo(9000);
    assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/mesh"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "--data-dir,                 MESHGATE_DATA_DIR,                 /srv/mesh",
    "--kafka-bootstrap-servers,  MESHGATE_KAFKA_BOOTSTRAP_SERVERS,  kafka:9092",
    "--postgres-url,             MESHGATE_POSTGRES_URL,             jdbc:postgresql://pg:5432",
    "--postgres-user,            MESHGATE_POSTGRES_USER,            env-user",
    "--postgres-password,        MESHGATE_POSTGRES_PASSWORD,        env-password",
    "--kafka-port,               MESHGATE_KAFKA_PORT,               29092",
    "--postgres-port,            MESHGATE_POSTGRES_PORT,            25432",
    "--gateway-port,             MESHGATE_GATEWAY_PORT,             28080",
    "--sales-port,               MESHGATE_SALES_PORT,               28081",
    "--sample-data,              MESHGATE_SAMPLE_DATA,              false",
    "--product-ports,            MESHGATE_PRODUCT_PORTS,            finance=28083",
    "--simulate,                 MESHGATE_SIMULATE,                 20",
    "--max-slot-wal-keep-size,   MESHGATE_MAX_SLOT_WAL_KEEP_SIZE,   2GB",
    "--expose-query-plans,       MESHGATE_EXPOSE_QUERY_PLANS,       true"
  })
  void everyOptionFallsBackToItsEnvironmentVariable(String flag, String variable, String value) {
    LauncherSettings fromEnvironment =
        LauncherSettings.parse(new String[0], Map.of(variable, value)::get);
    LauncherSettings fromFlag = LauncherSettings.parse(new String[] {flag, value}, NO_ENV);

    assertThat(fromEnvironment)
        .isEqualTo(fromFlag)
        .isNotEqualTo(LauncherSettings.parse(new String[0], NO_ENV));
  }

  @Test
  void theGatewayListensOn8080AndKeepsQueryPlansToItselfByDefault() {
    LauncherSettings settings = LauncherSettings.parse(new String[0], NO_ENV);

    assertThat(settings.gatewayPort()).isEqualTo(8080);
    assertThat(settings.exposeQueryPlans()).isFalse();
    assertThat(settings.productPorts()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--data-dir",
        "--sales-port",
        "--sample-data",
        "--postgres-user",
        "--max-slot-wal-keep-size"
      })
  void blankFlagValueMeansDefault(String flag) {
    assertThat(LauncherSettings.parse(new String[] {flag, " "}, NO_ENV))
        .isEqualTo(LauncherSettings.parse(new String[0], NO_ENV));
    assertThat(LauncherSettings.parse(new String[] {flag + "="}, NO_ENV))
        .isEqualTo(LauncherSettings.parse(new String[0], NO_ENV));
  }

  @Test
  void theLastOfARepeatedFlagWins() {
    assertThat(
            LauncherSettings.parse(
                    new String[] {"--sales-port", "9001", "--sales-port=9002"}, NO_ENV)
                .salesPort())
        .isEqualTo(9002);
  }

  @Test
  void aValueMayStartWithADash() {
    assertThat(
            LauncherSettings.parse(new String[] {"--postgres-password", "-secret-"}, NO_ENV)
                .postgresPassword())
        .isEqualTo("-secret-");
  }

  @Test
  void blankEnvironmentValueMeansDefault() {
    Map<String, String> env =
        Map.of("MESHGATE_SALES_PORT", " ", "MESHGATE_KAFKA_BOOTSTRAP_SERVERS", "");

    LauncherSettings settings = LauncherSettings.parse(new String[0], env::get);

    assertThat(settings.salesPort()).isEqualTo(8081);
    assertThat(settings.kafkaBootstrapServers()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--kafka-url", "--sales-port-number", "-d", "run"})
  void rejectsUnknownOptionNamingIt(String option) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {option, "x"}, NO_ENV))
        .withMessageStartingWith("unknown option " + option)
        .withMessageContaining("usage:");
  }

  @Test
  void suggestsTheOptionAMistypedOneResembles() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--sales-prt", "9000"}, NO_ENV))
        .withMessageStartingWith("unknown option --sales-prt\n")
        .withMessageContaining("did you mean --sales-port");
  }

  @Test
  void rejectsUnknownOptionInEqualsForm() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--colour=blue"}, NO_ENV))
        .withMessageStartingWith("unknown option --colour");
  }

  @Test
  void rejectsUnknownOptionGivenLast() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--verbose"}, NO_ENV))
        .withMessageStartingWith("unknown option --verbose");
  }

  @Test
  void rejectsKnownOptionWithoutValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LauncherSettings.parse(new String[] {"--data-dir", "/d", "--sales-port"}, NO_ENV))
        .withMessage("--sales-port needs a value");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--gateway-port,  65536",
    "--sales-port,    65536",
    "--sales-port,    -1",
    "--sales-port,    http",
    "--sales-port,    8081.5",
    "--kafka-port,    70000",
    "--kafka-port,    nine",
    "--postgres-port, -5432",
    "--postgres-port, 5432x"
  })
  void rejectsBadPortNamingTheFlag(String flag, String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {flag, value}, NO_ENV))
        .withMessageStartingWith(flag + " must be a port number")
        .withMessageContaining("(got " + value + ")");
  }

  @Test
  void rejectsBadPortFromEnvironmentNamingTheFlag() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LauncherSettings.parse(new String[0], Map.of("MESHGATE_KAFKA_PORT", "abc")::get))
        .withMessageStartingWith("--kafka-port must be a port number between 0 and 65535");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "--kafka-port,    0,      0",
    "--kafka-port,    65535,  65535",
    "--postgres-port, 0,      0",
    "--sales-port,    1,      1",
    "--sales-port,    ' 80 ', 80"
  })
  void acceptsPortsInRange(String flag, String value, int port) {
    LauncherSettings settings = LauncherSettings.parse(new String[] {flag, value}, NO_ENV);

    int actual =
        switch (flag) {
          case "--kafka-port" -> settings.kafkaPort();
          case "--postgres-port" -> settings.postgresPort();
          default -> settings.salesPort();
        };
    assertThat(actual).isEqualTo(port);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "jdbc:postgresql://db:5432,       jdbc:postgresql://db:5432",
    "jdbc:postgresql://db:5432/,      jdbc:postgresql://db:5432",
    "jdbc:postgresql://db:5432///,    jdbc:postgresql://db:5432",
    "' jdbc:postgresql://db:5432 ',   jdbc:postgresql://db:5432",
    "jdbc:postgresql://10.0.0.7,      jdbc:postgresql://10.0.0.7"
  })
  void acceptsPostgresUrlWithoutTrailingSlash(String given, String url) {
    assertThat(LauncherSettings.parse(new String[] {"--postgres-url", given}, NO_ENV).postgresUrl())
        .isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://db:5432",
        "jdbc:mysql://db:3306",
        "db:5432",
        "jdbc:postgresql:sales",
        "JDBC:POSTGRESQL://db:5432"
      })
  void rejectsPostgresUrlOfAnotherShapeNamingTheFlag(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--postgres-url=" + url}, NO_ENV))
        .withMessageStartingWith("--postgres-url must look like jdbc:postgresql://host:port")
        .withMessageContaining(url);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "true,   true",
    "TRUE,   true",
    "yes,    true",
    "1,      true",
    "' Yes ', true",
    "false,  false",
    "False,  false",
    "no,     false",
    "0,      false"
  })
  void parsesBooleans(String value, boolean expected) {
    assertThat(LauncherSettings.parse(new String[] {"--sample-data", value}, NO_ENV).sampleData())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"y", "on", "2", "truee", "nein"})
  void rejectsOtherBooleansNamingTheFlag(String value) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--sample-data=" + value}, NO_ENV))
        .withMessage("--sample-data must be true or false (got " + value + ")");
  }

  @Test
  void usageListsEveryOptionWithItsEnvironmentVariable() {
    String usage = LauncherSettings.usage();

    assertThat(LauncherSettings.OPTIONS)
        .allSatisfy(
            option ->
                assertThat(usage)
                    .contains(option.flag() + "=" + option.label())
                    .contains(option.env()));
  }

  @Test
  void usageGivesTheDefaults() {
    assertThat(LauncherSettings.usage())
        .contains(
            "default meshgate-data",
            "default postgres",
            "default 8080",
            "default 8081",
            "default true",
            "default 1GB",
            "default false");
  }

  @Test
  void productPortsNameEachProductWithAWildcardForTheRest() {
    LauncherSettings settings =
        LauncherSettings.parse(
            new String[] {"--product-ports", "distribution=9002, *=0", "--sales-port", "9001"},
            NO_ENV);

    assertThat(settings.portOf("sales", 8081)).isEqualTo(9001);
    assertThat(settings.portOf("distribution", 8082)).isEqualTo(9002);
    assertThat(settings.portOf("finance", 8083)).isZero();
    assertThat(LauncherSettings.parse(new String[0], NO_ENV).portOf("finance", 8083))
        .isEqualTo(8083);
  }

  @Test
  void rejectsMalformedProductPorts() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LauncherSettings.parse(new String[] {"--product-ports", "finance"}, NO_ENV))
        .withMessageContaining("NAME=PORT");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LauncherSettings.parse(new String[] {"--product-ports", "finance=http"}, NO_ENV))
        .withMessageContaining("--product-ports finance must be a port number");
  }

  @Test
  void simulatorIsOffByDefaultAndTakesARate() {
    assertThat(LauncherSettings.parse(new String[0], NO_ENV).simulate()).isZero();
    assertThat(LauncherSettings.parse(new String[] {"--simulate", "50"}, NO_ENV).simulate())
        .isEqualTo(50);
    assertThat(
            LauncherSettings.parse(new String[0], Map.of("MESHGATE_SIMULATE", "200")::get)
                .simulate())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "fast", "5001", "1.5"})
  void rejectsABadSimulatorRateNamingTheFlag(String rate) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LauncherSettings.parse(new String[] {"--simulate", rate}, NO_ENV))
        .withMessageContaining("--simulate");
  }

  @Test
  void capsTheWalAReplicationSlotHoldsAtOneGigabyteUnlessToldOtherwise() {
    assertThat(LauncherSettings.parse(new String[0], NO_ENV).maxSlotWalKeepSize()).isEqualTo("1GB");
    assertThat(
            LauncherSettings.parse(new String[] {"--max-slot-wal-keep-size", "512MB"}, NO_ENV)
                .maxSlotWalKeepSize())
        .isEqualTo("512MB");
    assertThat(
            LauncherSettings.parse(
                    new String[0],
                    name -> name.equals("MESHGATE_MAX_SLOT_WAL_KEEP_SIZE") ? "-1" : null)
                .maxSlotWalKeepSize())
        .isEqualTo("-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1 GB", "lots", "1gb", "-2", "1.5GB"})
  void refusesAWalCapThatIsNotASize(String size) {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> LauncherSettings.parse(new String[] {"--max-slot-wal-keep-size=" + size}, NO_ENV))
        .withMessageStartingWith("--max-slot-wal-keep-size: ")
        .withMessageContaining("'" + size + "'");
  }
}
