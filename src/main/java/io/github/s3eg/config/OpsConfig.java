package io.github.s3eg.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Operations settings: metrics exposure, access-log format, rate limiting, the per-principal cap on
 * concurrent requests, whether {@code /health} shows its checks to anyone, the audit log, TLS, the
 * object cache, and how long a shutdown waits for requests in progress. {@code
 * docs/configuration.md} lists them with their defaults.
 */
public record OpsConfig(
    boolean metricsPublic,
    boolean jsonAccessLog,
    RateLimit rateLimit,
    int maxConcurrentPerPrincipal,
    boolean healthDetailsPublic,
    Audit audit,
    Tls tls,
    Cache cache,
    Duration shutdownTimeout,
    Scrub scrub) {

  /**
   * {@code RATE_LIMIT_*}: at most {@code requests} per {@code window} per principal (access key, or
   * client address when authentication is off).
   */
  public record RateLimit(boolean enabled, int requests, Duration window) {}

  /**
   * {@code AUDIT_*}: the hash-chained audit log; {@code file} empty means standard output; the last
   * {@code maxEvents} events are also kept in memory.
   */
  public record Audit(boolean enabled, int maxEvents, Optional<Path> file) {}

  /** {@code TLS_*}: serve HTTPS with this PEM certificate chain and key, reloaded when changed. */
  public record Tls(boolean enabled, Optional<Path> certFile, Optional<Path> keyFile) {}

  /**
   * {@code CACHE_*}: decrypted objects of at most {@code maxObjectSize} bytes kept in memory for
   * {@code ttl}; together at most {@code maxSize} bytes and {@code maxItems} objects (how the two
   * bounds combine: {@code ObjectCache}).
   */
  public record Cache(
      boolean enabled, long maxSize, long maxItems, Duration ttl, long maxObjectSize) {}

  /**
   * {@code SCRUB_*}: how fast {@code scrub} (command and admin endpoint) may read the backend, so
   * it can run against production: at most {@code objectsPerSecond} objects and {@code
   * bytesPerSecond} stored bytes per second; 0 means no limit.
   */
  public record Scrub(int objectsPerSecond, long bytesPerSecond) {}

  static OpsConfig from(Settings s) {
    String logFormat = s.get("LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new ConfigurationException(
          "LOG_FORMAT", "must be text or json, was '" + logFormat + "'");
    }
    RateLimit rateLimit =
        new RateLimit(
            s.getBoolean("RATE_LIMIT_ENABLED", false),
            s.getInt("RATE_LIMIT_REQUESTS", 100, 1, 10_000_000),
            s.getDuration(
                "RATE_LIMIT_WINDOW",
                Duration.ofSeconds(60),
                Duration.ofMillis(1),
                Duration.ofDays(1)));
    Audit audit =
        new Audit(
            s.getBoolean("AUDIT_ENABLED", false),
            s.getInt("AUDIT_MAX_EVENTS", 10_000, 0, 10_000_000),
            s.get("AUDIT_FILE").filter(f -> !f.equals("-")).map(Path::of));
    // Half the workers by default: one principal's slow transfers can never take them all.
    int workers = s.getInt("SERVER_MAX_CONCURRENT_REQUESTS", 512, 1, 100_000);
    int perPrincipal =
        s.getInt(
            "SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL", Math.max(1, workers / 2), 1, 100_000);
    return new OpsConfig(
        s.getBoolean("METRICS_PUBLIC", false),
        logFormat.equals("json"),
        rateLimit,
        perPrincipal,
        s.getBoolean("HEALTH_DETAILS_PUBLIC", false),
        audit,
        tls(s),
        cache(s),
        s.getDuration(
            "SHUTDOWN_TIMEOUT", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1)),
        new Scrub(
            s.getInt("SCRUB_OBJECTS_PER_SECOND", 100, 0, 1_000_000),
            s.getInt("SCRUB_MB_PER_SECOND", 100, 0, 1_000_000) * 1_000_000L));
  }

  private static Cache cache(Settings s) {
    return new Cache(
        s.getBoolean("CACHE_ENABLED", false),
        s.getSize("CACHE_MAX_SIZE", 64L << 20, 1L << 10, 1L << 40),
        s.getInt("CACHE_MAX_ITEMS", 10_000, 1, 100_000_000),
        s.getDuration(
            "CACHE_DEFAULT_TTL", Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofDays(1)),
        s.getSize("CACHE_MAX_OBJECT_SIZE", 1L << 20, 0, 64L << 20));
  }

  private static Tls tls(Settings s) {
    boolean enabled = s.getBoolean("TLS_ENABLED", false);
    Optional<Path> cert = s.get("TLS_CERT_FILE").map(Path::of);
    Optional<Path> key = s.get("TLS_KEY_FILE").map(Path::of);
    if (enabled) {
      requireReadable("TLS_CERT_FILE", cert);
      requireReadable("TLS_KEY_FILE", key);
    }
    return new Tls(enabled, cert, key);
  }

  private static void requireReadable(String setting, Optional<Path> file) {
    if (file.isEmpty()) {
      throw new ConfigurationException(setting, "is required when TLS_ENABLED=true");
    }
    if (!Files.isReadable(file.get())) {
      throw new ConfigurationException(setting, "names a file that cannot be read: " + file.get());
    }
  }
}
