package io.meshgate.launcher.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules read from the main sources of every module: a type is named by its simple name and an
 * import, never spelled out inline, unless that simple name is already taken in the file (two types
 * of the same name, such as a model's {@code Field} and Lucene's).
 */
class SourceRulesTest {

  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.\"])@?((?:java|javax|jakarta|org|com|io)\\.(?:[a-z][a-z0-9_]*\\.)+)([A-Z]\\w*)");
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+([\\w.]+)\\.(\\w+);", Pattern.MULTILINE);
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z]\\w*)");

  @Test
  void mainCodeNamesTypesByImportNotInline() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path source : mainSources()) {
      found.addAll(inlineNames(source));
    }
    assertThat(found).as("inline fully qualified names where an import would do").isEmpty();
  }

  private static List<Path> mainSources() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("pom.xml")).as("the repository root").exists();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(path -> path.toString().endsWith(".java"))
          .filter(path -> path.toString().contains("/src/main/java/"))
          .filter(
              path -> !path.toString().contains("/target/") && !path.toString().contains("/.git/"))
          .sorted()
          .toList();
    }
  }

  private static List<String> inlineNames(Path source) {
    String text;
    try {
      text = Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> imported = new HashMap<>();
    Matcher imports = IMPORT.matcher(text);
    while (imports.find()) {
      imported.put(imports.group(2), imports.group(1) + "." + imports.group(2));
    }
    Set<String> declared = new HashSet<>();
    Matcher declarations = DECLARED.matcher(text);
    while (declarations.find()) {
      declared.add(declarations.group(1));
    }
    Set<String> samePackage = new HashSet<>();
    try (Stream<Path> siblings = Files.list(source.getParent())) {
      siblings
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".java"))
          .forEach(name -> samePackage.add(name.substring(0, name.length() - 5)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> found = new ArrayList<>();
    boolean inComment = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (inComment) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.startsWith("/*")) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.startsWith("import ")
          || line.startsWith("package ")
          || line.startsWith("//")
          || line.startsWith("*")) {
        continue;
      }
      String code = STRING.matcher(line).replaceAll("\"\"");
      int comment = code.indexOf("//");
      if (comment >= 0) {
        code = code.substring(0, comment);
      }
      Matcher qualified = QUALIFIED.matcher(code);
      while (qualified.find()) {
        String name = qualified.group(2);
        String fullName = qualified.group(1) + name;
        boolean nameTaken =
            (imported.containsKey(name) && !imported.get(name).equals(fullName))
                || declared.contains(name)
                || samePackage.contains(name);
        if (!nameTaken) {
          found.add(source.getFileName() + ":" + (i + 1) + " " + fullName);
        }
      }
    }
    return found;
  }
}
