package io.github.s3eg.config;

import java.util.Locale;

/**
 * Presets for the quirks of S3-compatible backends ({@code BACKEND_PROVIDER}). Each preset gives
 * the default addressing style and whether the backend accepts the {@code x-amz-checksum-*}
 * trailers that the AWS SDK adds by default. An explicit {@code BACKEND_USE_PATH_STYLE} wins.
 */
public enum BackendProvider {
  /** Amazon S3: virtual-hosted addressing, checksum trailers accepted. */
  AWS(false, true),
  /** MinIO: path style (no wildcard DNS in most installs), checksum trailers accepted. */
  MINIO(true, true),
  /** Wasabi: virtual-hosted addressing; trailers not relied upon. */
  WASABI(false, false),
  /** Hetzner Object Storage (Ceph RGW underneath): virtual-hosted addressing, no trailers. */
  HETZNER(false, false),
  /** Ceph RGW: path style, no trailers (older releases answer 400 to them). */
  CEPH(true, false),
  /** Anything else, including the embedded S3Proxy: path style, no trailers. */
  GENERIC(true, false);

  private final boolean pathStyle;
  private final boolean acceptsChecksumTrailers;

  BackendProvider(boolean pathStyle, boolean acceptsChecksumTrailers) {
    this.pathStyle = pathStyle;
    this.acceptsChecksumTrailers = acceptsChecksumTrailers;
  }

  public boolean pathStyle() {
    return pathStyle;
  }

  public boolean acceptsChecksumTrailers() {
    return acceptsChecksumTrailers;
  }

  public static BackendProvider parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "BACKEND_PROVIDER",
          "must be one of aws, minio, wasabi, hetzner, ceph, generic; was '" + text + "'");
    }
  }
}
