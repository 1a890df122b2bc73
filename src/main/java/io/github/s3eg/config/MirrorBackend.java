package io.github.s3eg.config;

import java.net.URI;
import java.util.Optional;

/**
 * {@code BACKEND_MIRROR_*}: a backend the routes may name as {@code backend:…?backend=mirror} (e.g.
 * to mirror writes there, examples/mirror-writes), with its own endpoint and credentials; the
 * gateway itself sends it nothing. Every other setting is the first backend's.
 */
public record MirrorBackend(URI endpoint, Optional<String> accessKey, Optional<String> secretKey) {

  /** The registry name of its clients, as routes name it. */
  public static final String NAME = "mirror";

  static Optional<MirrorBackend> from(Settings s) {
    Optional<String> endpoint = s.get("BACKEND_MIRROR_ENDPOINT");
    Optional<String> accessKey = s.get("BACKEND_MIRROR_ACCESS_KEY");
    Optional<String> secretKey = s.get("BACKEND_MIRROR_SECRET_KEY");
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigurationException(
          accessKey.isPresent() ? "BACKEND_MIRROR_SECRET_KEY" : "BACKEND_MIRROR_ACCESS_KEY",
          "must be set together with "
              + (accessKey.isPresent()
                  ? "BACKEND_MIRROR_ACCESS_KEY"
                  : "BACKEND_MIRROR_SECRET_KEY"));
    }
    return Optional.of(
        new MirrorBackend(
            BackendConfig.parseEndpoint("BACKEND_MIRROR_ENDPOINT", endpoint.get()),
            accessKey,
            secretKey));
  }

  @Override
  public String toString() {
    return "MirrorBackend[endpoint=" + endpoint + "]";
  }
}
