package io.github.s3eg.keys.kmip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link KmipClient} connects: server address, PEM files for mutual TLS (CA bundle,
 * client certificate chain, PKCS#8/PKCS#1/SEC1 client key), timeouts, pool size, and an optional
 * pinned protocol version (otherwise negotiated with DiscoverVersions).
 */
public record KmipClientConfig(
    String host,
    int port,
    Path caCert,
    Path clientCert,
    Path clientKey,
    Duration connectTimeout,
    Duration readTimeout,
    int maxConnections,
    Optional<KmipVersion> protocolVersion) {

  /** The IANA-registered KMIP port. */
  public static final int DEFAULT_PORT = 5696;

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  public KmipClientConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(clientCert, "clientCert");
    Objects.requireNonNull(clientKey, "clientKey");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("read timeout must be positive");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1");
    }
  }

  /** Defaults: 5 s timeouts, 8 connections, negotiated protocol version. */
  public static KmipClientConfig of(
      String host, int port, Path caCert, Path clientCert, Path clientKey) {
    return new KmipClientConfig(
        host,
        port,
        caCert,
        clientCert,
        clientKey,
        DEFAULT_TIMEOUT,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        Optional.empty());
  }

  public KmipClientConfig withTimeouts(Duration connect, Duration read) {
    return new KmipClientConfig(
        host, port, caCert, clientCert, clientKey, connect, read, maxConnections, protocolVersion);
  }

  public KmipClientConfig withProtocolVersion(KmipVersion version) {
    return new KmipClientConfig(
        host,
        port,
        caCert,
        clientCert,
        clientKey,
        connectTimeout,
        readTimeout,
        maxConnections,
        Optional.of(version));
  }

  public KmipClientConfig withMaxConnections(int connections) {
    return new KmipClientConfig(
        host,
        port,
        caCert,
        clientCert,
        clientKey,
        connectTimeout,
        readTimeout,
        connections,
        protocolVersion);
  }
}
