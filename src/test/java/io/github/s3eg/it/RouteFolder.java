package io.github.s3eg.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A copy of the gateway's route files in a folder, edited as an operator would edit them, for a
 * gateway that loads its routes from there ({@code camel.main.routesIncludePattern=file:…}, which
 * {@code CAMEL_MAIN_ROUTESINCLUDEPATTERN} sets for a deployed gateway).
 */
public final class RouteFolder {

  /** Where the jar's route files come from. */
  public static final Path SOURCE = Path.of("src/main/resources/routes");

  private final Path dir;

  private RouteFolder(Path dir) {
    this.dir = dir;
  }

  /** The gateway's own route files, copied into {@code dir}. */
  public static RouteFolder copyOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(SOURCE)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    return new RouteFolder(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The Camel property that makes a gateway load this folder's routes. */
  public Map<String, String> camelProperties() {
    return Map.of("camel.main.routesIncludePattern", "file:" + dir.toAbsolutePath() + "/*.yaml");
  }

  /**
   * Deletes the step {@code - process: {ref: NAME}} (its two lines and the comment lines that
   * continue it) from {@code file}.
   *
   * @param occurrence which occurrence to delete, from 0
   */
  public RouteFolder deleteStep(String file, String name, int occurrence) throws IOException {
    Path path = dir.resolve(file);
    String yaml = Files.readString(path);
    Matcher m = step(name).matcher(yaml);
    for (int i = 0; i <= occurrence; i++) {
      if (!m.find()) {
        throw new IllegalArgumentException(file + " has no step " + name + " #" + occurrence);
      }
    }
    Files.writeString(path, yaml.substring(0, m.start()) + yaml.substring(m.end()));
    return this;
  }

  public RouteFolder deleteStep(String file, String name) throws IOException {
    return deleteStep(file, name, 0);
  }

  /** Replaces text in {@code file} (exactly once). */
  public RouteFolder replace(String file, String text, String replacement) throws IOException {
    Path path = dir.resolve(file);
    String yaml = Files.readString(path);
    int at = yaml.indexOf(text);
    if (at < 0 || yaml.indexOf(text, at + 1) >= 0) {
      throw new IllegalArgumentException(file + " does not hold exactly one " + text);
    }
    Files.writeString(path, yaml.replace(text, replacement));
    return this;
  }

  /** A {@code - process:} item whose {@code ref} is {@code name}, with its comment lines. */
  private static Pattern step(String name) {
    return Pattern.compile(
        "(?m)^( *)- process:\\n\\1    ref: "
            + Pattern.quote(name)
            + "\\b[^\\n]*\\n(?:\\1 {4,}#[^\\n]*\\n|\\1 {10,}\\s*#[^\\n]*\\n)*");
  }
}
