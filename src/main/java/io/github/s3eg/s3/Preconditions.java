package io.github.s3eg.s3;

import java.time.Instant;

/**
 * Evaluates {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since} and {@code
 * If-Unmodified-Since} against the object's (plaintext) ETag and last-modified time, in the order
 * and with the precedence S3 documents: a true If-Match overrides a false If-Unmodified-Since, and
 * a present If-None-Match makes If-Modified-Since irrelevant.
 */
public final class Preconditions {

  private Preconditions() {}

  /** Throws 412 PreconditionFailed or 304 NotModified when the request's conditions say so. */
  public static void check(S3Request request, String etag, Instant lastModified) {
    String ifMatch = request.header("If-Match");
    String ifNoneMatch = request.header("If-None-Match");
    Instant ifModifiedSince = parseDate(request.header("If-Modified-Since"));
    Instant ifUnmodifiedSince = parseDate(request.header("If-Unmodified-Since"));
    long modifiedSeconds = lastModified == null ? 0 : lastModified.getEpochSecond();

    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) {
        throw new S3Exception(
                S3ErrorCode.PRECONDITION_FAILED,
                "At least one of the pre-conditions you specified did not hold")
            .with("Condition", "If-Match");
      }
    } else if (ifUnmodifiedSince != null && modifiedSeconds > ifUnmodifiedSince.getEpochSecond()) {
      throw new S3Exception(
              S3ErrorCode.PRECONDITION_FAILED,
              "At least one of the pre-conditions you specified did not hold")
          .with("Condition", "If-Unmodified-Since");
    }
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, etag)) {
        throw new NotModified(etag);
      }
    } else if (ifModifiedSince != null && modifiedSeconds <= ifModifiedSince.getEpochSecond()) {
      throw new NotModified(etag);
    }
  }

  public static boolean matches(String header, String etag) {
    String bare = unquote(etag);
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || unquote(c).equals(bare)) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String s) {
    if (s == null) {
      return "";
    }
    String t = s.trim();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
        ? t.substring(1, t.length() - 1)
        : t;
  }

  /** An HTTP date, or null when absent or unparseable. */
  public static Instant parseHttpDate(String value) {
    return parseDate(value);
  }

  /** HTTP dates; an unparseable date is ignored, as HTTP requires. */
  static Instant parseDate(String value) {
    return HttpDate.parse(value);
  }

  /** 304 Not Modified: not an error body, just the status with the ETag. */
  public static final class NotModified extends S3Exception {
    private final String etag;

    public NotModified(String etag) {
      super(S3ErrorCode.NOT_MODIFIED, "Not Modified");
      this.etag = etag;
    }

    public String etag() {
      return etag;
    }
  }
}
