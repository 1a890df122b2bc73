package io.github.s3eg;

import io.github.s3eg.config.StartRefusedException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which jar an ahead-of-time cache was made from. The JDK (Temurin 25.0.3, measured) accepts the
 * cache of an older jar at the same path without a word and runs that jar's classes from it, so an
 * upgraded gateway started with a forgotten cache would run the old code. The training run writes
 * the SHA-256 of its jar beside the cache ({@code CACHE.jar-sha256}); a gateway started with {@code
 * -XX:AOTCache=CACHE} compares it with the jar it runs from and refuses to start on a difference,
 * naming the cache to remake.
 */
final class AotCacheFingerprint {

  static final String SUFFIX = ".jar-sha256";
  private static final String CACHE_OPTION = "-XX:AOTCache=";
  private static final String OUTPUT_OPTION = "-XX:AOTCacheOutput=";

  private AotCacheFingerprint() {}

  /** The cache a JVM option of {@code jvmArguments} names, for {@code option}'s prefix. */
  static Optional<Path> cacheNamedBy(List<String> jvmArguments, String option) {
    Optional<Path> named = Optional.empty();
    for (String argument : jvmArguments) {
      if (argument.startsWith(option) && argument.length() > option.length()) {
        named = Optional.of(Path.of(argument.substring(option.length()))); // the last one counts
      }
    }
    return named;
  }

  /** After a training run: records which jar the cache being written comes from. */
  static void recordForThisJvm() throws IOException {
    Optional<Path> jar = runningJar();
    Optional<Path> cache = cacheNamedBy(jvmArguments(), OUTPUT_OPTION);
    if (jar.isPresent() && cache.isPresent()) {
      record(jar.get(), cache.get());
    }
  }

  /** At start: refuses a cache made from another jar than the one this JVM runs. */
  static void checkForThisJvm() throws IOException {
    Optional<Path> jar = runningJar();
    Optional<Path> cache = cacheNamedBy(jvmArguments(), CACHE_OPTION);
    if (jar.isPresent() && cache.isPresent()) {
      check(jar.get(), cache.get());
    }
  }

  static void record(Path jar, Path cache) throws IOException {
    Files.writeString(fingerprintFile(cache), sha256(jar) + "\n", StandardCharsets.US_ASCII);
  }

  static void check(Path jar, Path cache) throws IOException {
    if (!Files.exists(cache)) {
      return; // the JVM says so itself and runs without a cache
    }
    Path fingerprint = fingerprintFile(cache);
    if (!Files.exists(fingerprint)) {
      throw new StartRefusedException(
          "the ahead-of-time cache "
              + cache
              + " does not say which jar it was made from (no "
              + fingerprint.getFileName()
              + " beside it); make it with scripts/aot-cache.sh, or start without -XX:AOTCache");
    }
    String recorded = Files.readString(fingerprint, StandardCharsets.US_ASCII).strip();
    // Not a secret: a plain comparison.
    if (!recorded.equals(sha256(jar))) {
      throw new StartRefusedException(
          "the ahead-of-time cache "
              + cache
              + " was made from another jar than "
              + jar
              + " (the JVM would run that jar's classes); make it again with scripts/aot-cache.sh"
              + " after every upgrade, or start without -XX:AOTCache");
    }
  }

  static Path fingerprintFile(Path cache) {
    return cache.resolveSibling(cache.getFileName() + SUFFIX);
  }

  private static List<String> jvmArguments() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments();
  }

  private static Optional<Path> runningJar() {
    var source = GatewayMain.class.getProtectionDomain().getCodeSource();
    return jarOf(
        source == null ? null : source.getLocation(), System.getProperty("java.class.path"));
  }

  /**
   * The jar a class was loaded from: its code source's location, or, where the JVM gives none, the
   * class path, which under {@code java -jar} is that one jar. Measured with Temurin 25.0.3: a
   * class loaded from an ahead-of-time cache whose training named the jar by another path (relative
   * there, absolute here) has a code source without a location.
   */
  static Optional<Path> jarOf(URL location, String classPath) {
    try {
      Path path;
      if (location != null) {
        path = Path.of(location.toURI());
      } else if (classPath != null && !classPath.contains(File.pathSeparator)) {
        path = Path.of(classPath);
      } else {
        return Optional.empty();
      }
      return path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
