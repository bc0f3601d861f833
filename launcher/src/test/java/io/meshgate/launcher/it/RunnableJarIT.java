package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./meshgate run} runs: the jar the build packages, with every module it needs inside.
 */
class RunnableJarIT {

  private static final String LIBRARIES = "BOOT-INF/lib/";

  @Test
  void carriesTheKitAndTheThreeProductsButNotTheExampleProduct() throws IOException {
    Path jar = Path.of(System.getProperty("meshgate.runnable-jar"));
    List<String> products;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      products =
          zip.stream()
              .map(ZipEntry::getName)
              .filter(name -> name.startsWith(LIBRARIES + "meshgate-product-"))
              .map(name -> name.substring(LIBRARIES.length()).replaceFirst("-\\d[^/]*\\.jar$", ""))
              .toList();
    }
    assertThat(products)
        .containsExactlyInAnyOrder(
            "meshgate-product-kit",
            "meshgate-product-sales",
            "meshgate-product-distribution",
            "meshgate-product-finance");
  }
}
