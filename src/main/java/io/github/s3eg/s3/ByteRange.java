package io.github.s3eg.s3;

import java.util.Optional;

/**
 * A resolved, satisfiable byte range {@code [first, last]} (inclusive, as in HTTP) of an object of
 * {@code total} bytes.
 */
public record ByteRange(long first, long last, long total) {

  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} header value: {@code bytes first-last/total}. */
  public String contentRange() {
    return "bytes " + first + "-" + last + "/" + total;
  }

  /**
   * Resolves a {@code Range} header against the object size, as S3 does: a header that is not a
   * single {@code bytes=} range is ignored (empty result, full object); {@code bytes=N-}, {@code
   * bytes=-N} and ranges past the end are clamped; a range that starts at or after the end is
   * unsatisfiable (416 InvalidRange).
   */
  public static Optional<ByteRange> resolve(String header, long total) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return Optional.empty();
    }
    String spec = h.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return Optional.empty();
        }
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || total == 0) {
          throw unsatisfiable(total);
        }
        long first = Math.max(0, total - suffix);
        return Optional.of(new ByteRange(first, total - 1, total));
      }
      long first = Long.parseLong(a);
      if (!b.isEmpty() && Long.parseLong(b) < first) {
        return Optional.empty();
      }
      if (first >= total) {
        throw unsatisfiable(total);
      }
      long last = b.isEmpty() ? total - 1 : Long.parseLong(b);
      return Optional.of(new ByteRange(first, Math.min(last, total - 1), total));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static S3Exception unsatisfiable(long total) {
    return new S3Exception(S3ErrorCode.INVALID_RANGE, "The requested range is not satisfiable")
        .with("ActualObjectSize", Long.toString(total));
  }
}
