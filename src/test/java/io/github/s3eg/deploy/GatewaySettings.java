package io.github.s3eg.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which environment names the deployment files may use, from sources that change with the code.
 *
 * <ul>
 *   <li><b>Read by the gateway</b>: a setting documented in {@code docs/configuration.md} (first
 *       column of a table) whose name also appears as a string literal in {@code src/main/java}.
 *       Both must hold, so a name that is only documented, or only in code, does not count.
 *   <li><b>Ahead of the code</b>: names listed in the table under "Settings ahead of the code" in
 *       {@code docs/deployment.md}: settings of work in progress (authentication, encryption, key
 *       managers, ops) that the chart and examples already carry. A name that becomes read by the
 *       gateway simply counts as read; the table should then lose it.
 *   <li><b>Read by the JVM</b>: {@code JAVA_TOOL_OPTIONS}.
 * </ul>
 */
final class GatewaySettings {

  static final Path ROOT = Path.of("").toAbsolutePath();

  private static final Pattern DOCUMENTED_ROW =
      Pattern.compile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|", Pattern.MULTILINE);
  private static final Pattern STRING_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9_]*)\"");
  private static final String AHEAD_HEADING = "### Settings ahead of the code";
  static final Set<String> READ_BY_JVM = Set.of("JAVA_TOOL_OPTIONS");

  private GatewaySettings() {}

  /** Settings documented in docs/configuration.md and read in src/main/java. */
  static Set<String> readByGateway() {
    Set<String> documented = matches(DOCUMENTED_ROW, read(ROOT.resolve("docs/configuration.md")));
    Set<String> inCode = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
      files
          .filter(p -> p.toString().endsWith(".java"))
          .forEach(p -> inCode.addAll(matches(STRING_LITERAL, read(p))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> real = new TreeSet<>(documented);
    real.retainAll(inCode);
    return real;
  }

  /** The names in the "Settings ahead of the code" table of docs/deployment.md. */
  static Set<String> aheadOfCode() {
    String doc = read(ROOT.resolve("docs/deployment.md"));
    int start = doc.indexOf(AHEAD_HEADING);
    assertThat(start).as("docs/deployment.md has a section '%s'", AHEAD_HEADING).isNotNegative();
    int end = doc.indexOf("\n#", start + AHEAD_HEADING.length());
    return matches(DOCUMENTED_ROW, doc.substring(start, end < 0 ? doc.length() : end));
  }

  /** Fails, naming the file, for every environment name that is none of the three kinds. */
  static void assertKnown(String where, Collection<String> names) {
    Set<String> real = readByGateway();
    assertThat(real)
        .as("settings parsed from docs/configuration.md and src/main/java")
        .contains("LISTEN_ADDR", "BACKEND_ENDPOINT");
    Set<String> ahead = aheadOfCode();
    List<String> unknown =
        names.stream()
            .filter(n -> !real.contains(n) && !ahead.contains(n) && !READ_BY_JVM.contains(n))
            .sorted()
            .distinct()
            .toList();
    assertThat(unknown)
        .as(
            "environment names in %s that the gateway does not read (docs/configuration.md) and"
                + " that docs/deployment.md does not list as ahead of the code",
            where)
        .isEmpty();
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
