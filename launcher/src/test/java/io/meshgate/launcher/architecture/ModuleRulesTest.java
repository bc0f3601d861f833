package io.meshgate.launcher.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module boundaries of the map (docs/architecture.md), checked over the main classes of every
 * module: the gateway knows no other module, the catalog and the audit log know no product, no
 * product knows another, and the shared runtime knows no part built on it.
 */
class ModuleRulesTest {

  private static final List<String> PRODUCTS = List.of("sales", "distribution", "finance");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.meshgate");
  }

  @Test
  void theGatewayImportsNoOtherModule() {
    noClasses().that().resideInAPackage("io.meshgate.gateway..")
        .should().dependOnClassesThat().resideInAnyPackage("io.meshgate.product..", "io.meshgate.runtime..",
            "io.meshgate.catalog..", "io.meshgate.audit..", "io.meshgate.launcher..", "io.meshgate.schema..")
        .check(classes);
  }

  @Test
  void theCatalogAndTheAuditLogImportNoProduct() {
    noClasses().that().resideInAnyPackage("io.meshgate.catalog..", "io.meshgate.audit..")
        .should().dependOnClassesThat().resideInAPackage("io.meshgate.product..")
        .check(classes);
  }

  @Test
  void theSharedRuntimeImportsNothingBuiltOnIt() {
    noClasses().that().resideInAPackage("io.meshgate.runtime..")
        .should().dependOnClassesThat().resideInAnyPackage("io.meshgate.product..", "io.meshgate.catalog..",
            "io.meshgate.audit..", "io.meshgate.gateway..", "io.meshgate.launcher..")
        .check(classes);
  }

  static List<String> products() {
    return PRODUCTS;
  }

  @ParameterizedTest
  @MethodSource("products")
  void aProductImportsNoOtherProduct(String product) {
    String[] others = PRODUCTS.stream().filter(p -> !p.equals(product))
        .map(p -> "io.meshgate.product." + p + "..").toArray(String[]::new);
    noClasses().that().resideInAPackage("io.meshgate.product." + product + "..")
        .should().dependOnClassesThat().resideInAnyPackage(others)
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
