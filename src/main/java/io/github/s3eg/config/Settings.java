package io.github.s3eg.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a setting's value comes from, in order: the environment variable ({@code
 * BACKEND_ENDPOINT}), then the property of the same name in dotted lower case ({@code
 * backend.endpoint}) from system properties or {@code application.properties}, then the default in
 * code.
 *
 * <p>Every lookup is by the environment name, so {@code docs/configuration.md} needs one table.
 */
public final class Settings {

  private final Map<String, String> environment;
  private final Properties properties;

  public Settings(Map<String, String> environment, Properties properties) {
    this.environment = Map.copyOf(environment);
    this.properties = (Properties) properties.clone();
  }

  /** The property name that stands for an environment name: {@code LISTEN_ADDR → listen.addr}. */
  public static String propertyName(String envName) {
    return envName.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public Optional<String> get(String envName) {
    String value = environment.get(envName);
    if (value == null) {
      value = properties.getProperty(propertyName(envName));
    }
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  public String get(String envName, String defaultValue) {
    return get(envName).orElse(defaultValue);
  }

  public boolean getBoolean(String envName, boolean defaultValue) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new ConfigurationException(
              envName, "must be true or false, was '" + value.get() + "'");
    };
  }

  public int getInt(String envName, int defaultValue, int min, int max) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed < min || parsed > max) {
        throw new ConfigurationException(
            envName, "must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          envName, "must be a whole number, was '" + value.get() + "'");
    }
  }

  /**
   * A duration such as {@code 60s}, {@code 500ms}, {@code 5m}, {@code 1h}, or a number of seconds
   * ({@code 60}).
   */
  public java.time.Duration getDuration(
      String envName,
      java.time.Duration defaultValue,
      java.time.Duration min,
      java.time.Duration max) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?")
            .matcher(value.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigurationException(
          envName, "must be a duration such as 60s, 500ms, 5m or 1h, was '" + value.get() + "'");
    }
    long n = Long.parseLong(m.group(1));
    java.time.Duration parsed =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          case "h" -> java.time.Duration.ofHours(n);
          default -> java.time.Duration.ofSeconds(n);
        };
    if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw new ConfigurationException(
          envName, "must be between " + min + " and " + max + ", was " + value.get());
    }
    return parsed;
  }

  /** A size such as {@code 65536}, {@code 64KiB}, {@code 8MiB} or {@code 1GiB}. */
  public long getSize(String envName, long defaultValue, long min, long max) {
    Optional<String> value = get(envName);
    if (value.isEmpty()) {
      return defaultValue;
    }
    long parsed = parseSize(envName, value.get());
    if (parsed < min || parsed > max) {
      throw new ConfigurationException(
          envName, "must be between " + min + " and " + max + " bytes, was " + parsed);
    }
    return parsed;
  }

  private static long parseSize(String envName, String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
    long unit = 1;
    for (String[] suffix :
        new String[][] {
          {"GIB", "1073741824"},
          {"MIB", "1048576"},
          {"KIB", "1024"},
          {"GB", "1000000000"},
          {"MB", "1000000"},
          {"KB", "1000"},
          {"B", "1"}
        }) {
      if (t.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        t = t.substring(0, t.length() - suffix[0].length());
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigurationException(
          envName, "must be a size such as 65536, 64KiB or 8MiB, was '" + text + "'");
    }
  }
}
