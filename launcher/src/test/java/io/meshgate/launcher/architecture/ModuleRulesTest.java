package io.meshgate.launcher.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.meshgate.product.runtime.ProductRuntime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module boundaries of the map (docs/architecture.md), checked over the main classes of every
 * module: the gateway knows no other module, the catalog and the audit log know no product, the
 * product kit knows no product, no product knows another, and the shared runtime knows no part
 * built on it. The products are the ones the launcher discovers, so a product added as a module is
 * held to the same rules without naming it here.
 */
class ModuleRulesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.meshgate");
  }

  @Test
  void theGatewayImportsNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage("io.meshgate.gateway..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.meshgate.product..",
            "io.meshgate.runtime..",
            "io.meshgate.catalog..",
            "io.meshgate.audit..",
            "io.meshgate.launcher..",
            "io.meshgate.schema..")
        .check(classes);
  }

  @Test
  void theCatalogAndTheAuditLogImportNoProduct() {
    noClasses()
        .that()
        .resideInAnyPackage("io.meshgate.catalog..", "io.meshgate.audit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.meshgate.product..")
        .check(classes);
  }

  @Test
  void theSharedRuntimeImportsNothingBuiltOnIt() {
    noClasses()
        .that()
        .resideInAPackage("io.meshgate.runtime..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.meshgate.product..",
            "io.meshgate.catalog..",
            "io.meshgate.audit..",
            "io.meshgate.gateway..",
            "io.meshgate.launcher..")
        .check(classes);
  }

  /**
   * The package of every product the launcher discovers, e.g. {@code io.meshgate.product.sales}.
   */
  static List<String> products() {
    return ProductRuntime.discover().stream()
        .map(module -> module.getClass().getPackageName())
        .toList();
  }

  @Test
  void theRulesCoverEveryProductOfTheMesh() {
    assertThat(products())
        .contains(
            "io.meshgate.product.sales",
            "io.meshgate.product.distribution",
            "io.meshgate.product.finance");
  }

  @ParameterizedTest
  @MethodSource("products")
  void aProductImportsNoOtherProduct(String product) {
    String[] others =
        products().stream()
            .filter(p -> !p.equals(product))
            .map(p -> p + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage(product + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .check(classes);
  }

  /** The kit is what lives under {@code io.meshgate.product} outside every product's package. */
  @Test
  void theProductKitImportsNoProduct() {
    String[] products = products().stream().map(p -> p + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.meshgate.product..")
        .and()
        .resideOutsideOfPackages(products)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(products)
        .check(classes);
  }

  @Test
  void theSharedRuntimeHasNoPackageCycles() {
    slices().matching("io.meshgate.runtime.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theProductsHaveNoPackageCycles() {
    slices().matching("io.meshgate.product.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theCatalogAndTheAuditLogHaveNoPackageCycles() {
    slices().matching("io.meshgate.catalog.(*)..").should().beFreeOfCycles().check(classes);
    slices().matching("io.meshgate.audit.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theGatewayHasNoPackageCycles() {
    slices().matching("io.meshgate.gateway.(*)..").should().beFreeOfCycles().check(classes);
  }
}
