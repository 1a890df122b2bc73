package io.github.s3eg.keys.kmip;

/**
 * A KMIP protocol version. The client speaks {@link #V2_0} and {@link #V1_4}: 1.4 is the first
 * version whose Encrypt and Decrypt carry AES-GCM additional data and tag, which the wrapped keys
 * depend on; 2.0 replaces template attributes with a flat attribute structure.
 */
public record KmipVersion(int major, int minor) implements Comparable<KmipVersion> {

  public static final KmipVersion V1_4 = new KmipVersion(1, 4);
  public static final KmipVersion V2_0 = new KmipVersion(2, 0);

  public KmipVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("negative protocol version");
    }
  }

  public boolean atLeast(KmipVersion other) {
    return compareTo(other) >= 0;
  }

  /** Parses {@code "1.4"} or {@code "2.0"}. */
  public static KmipVersion parse(String text) {
    int dot = text.indexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      throw new IllegalArgumentException("protocol version must look like 1.4 or 2.0");
    }
    try {
      return new KmipVersion(
          Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("protocol version must look like 1.4 or 2.0");
    }
  }

  @Override
  public int compareTo(KmipVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
