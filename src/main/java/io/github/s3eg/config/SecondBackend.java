package io.github.s3eg.config;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code BACKEND2_*}: a second S3 backend for the buckets whose names match {@code buckets} (a Java
 * regular expression matched against the whole name), with its own endpoint and credentials; every
 * other setting ({@code BACKEND_PROVIDER}, region, timeouts, …) is the first backend's.
 */
public record SecondBackend(
    URI endpoint, Optional<String> accessKey, Optional<String> secretKey, Pattern buckets) {

  /** The second backend the settings name, or empty when {@code BACKEND2_ENDPOINT} is not set. */
  static Optional<SecondBackend> from(Settings s, boolean embedded) {
    Optional<String> endpoint = s.get("BACKEND2_ENDPOINT");
    Optional<String> buckets = s.get("BACKEND2_BUCKETS");
    if (endpoint.isEmpty()) {
      if (buckets.isPresent()) {
        throw new ConfigurationException("BACKEND2_BUCKETS", "needs BACKEND2_ENDPOINT");
      }
      return Optional.empty();
    }
    if (embedded) {
      throw new ConfigurationException(
          "BACKEND2_ENDPOINT", "needs BACKEND_ENDPOINT (not the embedded backend) as the first");
    }
    if (buckets.isEmpty()) {
      throw new ConfigurationException(
          "BACKEND2_BUCKETS", "must name the second backend's buckets (a regular expression)");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(buckets.get());
    } catch (PatternSyntaxException e) {
      throw new ConfigurationException(
          "BACKEND2_BUCKETS", "is not a regular expression: " + e.getDescription());
    }
    Optional<String> accessKey = s.get("BACKEND2_ACCESS_KEY");
    Optional<String> secretKey = s.get("BACKEND2_SECRET_KEY");
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigurationException(
          accessKey.isPresent() ? "BACKEND2_SECRET_KEY" : "BACKEND2_ACCESS_KEY",
          "must be set together with "
              + (accessKey.isPresent() ? "BACKEND2_ACCESS_KEY" : "BACKEND2_SECRET_KEY"));
    }
    return Optional.of(
        new SecondBackend(
            BackendConfig.parseEndpoint("BACKEND2_ENDPOINT", endpoint.get()),
            accessKey,
            secretKey,
            pattern));
  }

  /** Whether {@code bucket} is one of the second backend's. */
  public boolean holds(String bucket) {
    return bucket != null && buckets.matcher(bucket).matches();
  }

  @Override
  public String toString() {
    return "SecondBackend[endpoint=" + endpoint + ", buckets=" + buckets + "]";
  }
}
