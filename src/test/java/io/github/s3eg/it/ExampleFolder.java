package io.github.s3eg.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * One of the worked examples under {@code examples/NAME/} (docs/customizing.md), loaded as an
 * operator would load it: its {@code routes/} folder, if any, holds the route files it edits (or
 * adds), which replace the jar's files of the same name; its {@code gateway.properties}, if any,
 * are Camel properties over the jar's; its {@code gateway.env}, if any, gateway settings; its
 * {@code src/}, if any, is Java source for an extra jar.
 */
public final class ExampleFolder {

  /** Where the examples are, from the project's root (the tests' working directory). */
  public static final Path EXAMPLES = Path.of("examples");

  private final Path dir;

  private ExampleFolder(Path dir) {
    this.dir = dir;
  }

  public static ExampleFolder named(String name) {
    Path dir = EXAMPLES.resolve(name);
    if (!Files.exists(dir.resolve("README.md"))) {
      throw new IllegalArgumentException("no example " + dir);
    }
    return new ExampleFolder(dir);
  }

  public Path dir() {
    return dir;
  }

  /**
   * The Camel properties of a gateway running this example: its route files and the jar's others
   * ({@code camel.main.routesIncludePattern}), then its {@code gateway.properties}.
   */
  public Map<String, String> camelProperties() throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("camel.main.routesIncludePattern", routesIncludePattern());
    Path file = dir.resolve("gateway.properties");
    if (Files.exists(file)) {
      Properties loaded = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        loaded.load(in);
      }
      loaded.forEach((k, v) -> properties.put(k.toString(), v.toString().trim()));
    }
    return properties;
  }

  /** The gateway settings of its {@code gateway.env} ({@code NAME=value} lines; # comments). */
  public Map<String, String> settings() throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    Path file = dir.resolve("gateway.env");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          int eq = trimmed.indexOf('=');
          settings.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
      }
    }
    return settings;
  }

  /** The example's route files by path, the jar's others by classpath name. */
  public String routesIncludePattern() throws IOException {
    List<String> patterns = new ArrayList<>();
    Path routes = dir.resolve("routes").toAbsolutePath();
    if (Files.isDirectory(routes)) {
      try (Stream<Path> own = Files.list(routes)) {
        own.filter(p -> p.toString().endsWith(".yaml"))
            .sorted()
            .forEach(p -> patterns.add("file:" + p));
      }
    }
    try (Stream<Path> jars = Files.list(RouteFolder.SOURCE)) {
      jars.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") && !Files.exists(routes.resolve(name)))
          .sorted()
          .forEach(name -> patterns.add("classpath:routes/" + name));
    }
    return String.join(",", patterns);
  }

  /**
   * The example's {@code src/} compiled against the gateway and Camel into {@code out/NAME.jar}, as
   * an operator would build the extra jar.
   */
  public Path buildJar(Path out, Class<?>... compileAgainst) throws IOException {
    Path classes = Files.createDirectories(out.resolve("classes"));
    List<String> sources;
    try (Stream<Path> files = Files.walk(dir.resolve("src"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    String classpath =
        Stream.of(compileAgainst)
            .map(ExampleFolder::location)
            .distinct()
            .collect(Collectors.joining(java.io.File.pathSeparator));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath));
    args.addAll(sources);
    int status = javac.run(null, null, null, args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("javac failed on " + sources + " (" + status + ")");
    }
    Path jar = out.resolve(dir.getFileName() + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(file);
        Stream<Path> compiled = Files.walk(classes)) {
      for (Path c : compiled.filter(Files::isRegularFile).toList()) {
        zip.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
        Files.copy(c, zip);
        zip.closeEntry();
      }
    }
    return jar;
  }

  /** A class loader over the test's that also holds {@code jar}: the gateway's class path. */
  public static URLClassLoader classPathWith(Path jar) throws IOException {
    return new URLClassLoader(
        new URL[] {jar.toUri().toURL()}, Thread.currentThread().getContextClassLoader());
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
