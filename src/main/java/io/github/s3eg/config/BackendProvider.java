package io.github.s3eg.config;

import java.util.Locale;

/**
 * Presets for the quirks of S3-compatible backends ({@code BACKEND_PROVIDER}). Each preset gives
 * the default addressing style, whether the backend accepts the {@code x-amz-checksum-*} trailers
 * that the AWS SDK adds by default, and whether it treats keys as file paths (resolving {@code .}
 * and {@code ..} segments and empty ones). Explicit {@code BACKEND_USE_PATH_STYLE} and {@code
 * BACKEND_KEYS_ARE_PATHS} win.
 */
public enum BackendProvider {
  /** Amazon S3: virtual-hosted addressing, checksum trailers accepted, opaque keys. */
  AWS(false, true, false),
  /** MinIO: path style, checksum trailers accepted, keys are file paths. */
  MINIO(true, true, true),
  /** Wasabi: virtual-hosted addressing; trailers not relied upon. */
  WASABI(false, false, false),
  /** Hetzner Object Storage (Ceph RGW underneath): virtual-hosted addressing, no trailers. */
  HETZNER(false, false, false),
  /** Ceph RGW: path style, no trailers (older releases answer 400 to them), opaque keys. */
  CEPH(true, false, false),
  /**
   * Anything else, including the embedded S3Proxy: path style, no trailers, and keys taken for file
   * paths (S3Proxy's file stores resolve {@code ./x} to {@code x}), the safe assumption.
   */
  GENERIC(true, false, true);

  private final boolean pathStyle;
  private final boolean acceptsChecksumTrailers;
  private final boolean keysArePaths;

  BackendProvider(boolean pathStyle, boolean acceptsChecksumTrailers, boolean keysArePaths) {
    this.pathStyle = pathStyle;
    this.acceptsChecksumTrailers = acceptsChecksumTrailers;
    this.keysArePaths = keysArePaths;
  }

  /** Whether the backend resolves {@code .}, {@code ..} and empty key segments like a file path. */
  public boolean keysArePaths() {
    return keysArePaths;
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
