package io.github.s3eg.s3;

/**
 * The object a CopyObject or UploadPartCopy reads, named by its {@code x-amz-copy-source} header
 * ({@code bucket/key} or {@code /bucket/key}, percent-encoded). The second resource of those
 * requests: it is authorized (read) like the destination (write), and audited beside it. Bucket and
 * key are validated by the rules of the request line, so a source can name nothing a request path
 * could not. A version ({@code ?versionId=} after the key) names an older version of the source;
 * null names the current one.
 */
public record CopySource(String bucket, String key, String versionId) {

  /** The header that names it. */
  public static final String HEADER = "x-amz-copy-source";

  /**
   * @throws S3Exception InvalidArgument for a source that names no bucket and key, or an invalid
   *     bucket, or with a query other than one version id; the key checks of {@link
   *     S3RequestParser}
   */
  public static CopySource parse(String header) {
    String value = header.trim();
    String versionId = null;
    int query = value.indexOf('?');
    if (query >= 0) {
      // A '?' of the key itself is percent-encoded: this one starts the source's query.
      String parameter = value.substring(query + 1);
      if (!parameter.startsWith(RequestedVersion.PARAMETER + "=")) {
        throw invalid("The only parameter a copy source takes is versionId.");
      }
      versionId =
          RequestedVersion.check(
              S3RequestParser.parseQuery(parameter).get(RequestedVersion.PARAMETER));
      value = value.substring(0, query);
    }
    // One value, decoded as a whole: an '&' or '=' is part of the key, not a separator.
    String decoded = PercentDecoding.headerValue(value);
    if (decoded.startsWith("/")) {
      decoded = decoded.substring(1);
    }
    int slash = decoded.indexOf('/');
    if (slash <= 0 || slash == decoded.length() - 1) {
      throw invalid("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    String bucket = decoded.substring(0, slash);
    String key = decoded.substring(slash + 1);
    try {
      S3RequestParser.validateBucket(bucket);
    } catch (S3Exception e) {
      throw invalid("Invalid copy source bucket name");
    }
    S3RequestParser.validateKey(key);
    return new CopySource(bucket, key, versionId);
  }

  /** The source of {@code request}, or null when it names none. */
  public static CopySource of(S3Request request) {
    String header = request.header(HEADER);
    return header == null ? null : parse(header);
  }

  private static S3Exception invalid(String message) {
    return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", HEADER);
  }
}
