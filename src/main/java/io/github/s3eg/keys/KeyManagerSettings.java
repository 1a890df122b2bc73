package io.github.s3eg.keys;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to the key-manager settings (environment-style names and string values).
 * Blank values count as unset. Every failure is a {@link KeyManagerConfigException} naming the
 * setting; values are echoed only for settings that are not secret.
 */
final class KeyManagerSettings {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final Map<String, String> values;

  KeyManagerSettings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  Optional<String> optional(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  String required(String name, String purpose) {
    return optional(name)
        .orElseThrow(() -> new KeyManagerConfigException(name, "is required " + purpose));
  }

  boolean bool(String name, boolean fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new KeyManagerConfigException(name, "'" + value.get() + "' is not true or false");
    };
  }

  int nonNegativeInt(String name, int fallback) {
    OptionalInt value = optionalNonNegativeInt(name);
    return value.isPresent() ? value.getAsInt() : fallback;
  }

  OptionalInt optionalNonNegativeInt(String name) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= 0) {
        return OptionalInt.of(parsed);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new KeyManagerConfigException(
        name, "'" + value.get() + "' is not a non-negative integer");
  }

  /** {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 2h}, or a bare number of seconds. */
  Duration duration(String name, Duration fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    String text = value.get().toLowerCase(Locale.ROOT);
    try {
      if (text.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(text));
      }
      Matcher matcher = DURATION_PART.matcher(text);
      Duration total = Duration.ZERO;
      int end = 0;
      while (matcher.find() && matcher.start() == end) {
        long amount = Long.parseLong(matcher.group(1));
        total =
            total.plus(
                switch (matcher.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  default -> Duration.ofHours(amount);
                });
        end = matcher.end();
      }
      if (end == text.length() && end > 0) {
        return total;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw new KeyManagerConfigException(
        name, "'" + value.get() + "' is not a duration (e.g. 500ms, 5s, 1m)");
  }

  Duration positiveDuration(String name, Duration fallback) {
    Duration value = duration(name, fallback);
    if (value.isZero()) {
      throw new KeyManagerConfigException(name, "must be greater than zero");
    }
    return value;
  }

  /** A path that must name a readable regular file. */
  Path readableFile(String name, String purpose) {
    return toReadableFile(name, required(name, purpose));
  }

  Optional<Path> optionalReadableFile(String name) {
    return optional(name).map(value -> toReadableFile(name, value));
  }

  private static Path toReadableFile(String name, String value) {
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw new KeyManagerConfigException(name, "'" + value + "' is not a valid path");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new KeyManagerConfigException(name, "'" + value + "' is not a readable file");
    }
    return path;
  }
}
