package io.github.s3eg.s3;

/**
 * The object version a request names with {@code ?versionId=}: S3's version ids are opaque strings
 * the backend assigns (the literal {@code null} names the version an unversioned or suspended
 * bucket writes). Every backend read and write a request makes for its object passes the same id,
 * so that a read of an old version never mixes in bytes or records of another.
 */
public final class RequestedVersion {

  /** The query parameter. */
  public static final String PARAMETER = "versionId";

  /** Longer than any id a backend hands out (S3's are 32 characters, RGW's 32). */
  static final int MAX_LENGTH = 1024;

  private RequestedVersion() {}

  /**
   * The version {@code request} names, or null for the current one.
   *
   * @throws S3Exception InvalidArgument for an empty id or one no backend would have made
   */
  public static String of(S3Request request) {
    return check(request.param(PARAMETER));
  }

  /**
   * The version to read again after a first answer named {@code backendVersionId}, so that every
   * read of one request is of one version; null (read the current object) when the backend named
   * none or the one version of an unversioned key ({@code null}).
   */
  public static String pin(String backendVersionId) {
    return backendVersionId == null || backendVersionId.equals("null") ? null : backendVersionId;
  }

  /** {@code id} validated as a version id; null stays null. */
  public static String check(String id) {
    if (id == null) {
      return null;
    }
    if (id.isEmpty()) {
      throw invalid("Version id cannot be the empty string", id);
    }
    if (id.length() > MAX_LENGTH || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw invalid("Invalid version id specified", id);
    }
    return id;
  }

  private static S3Exception invalid(String message, String id) {
    return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message)
        .with("ArgumentName", PARAMETER)
        .with("ArgumentValue", id.length() > 64 ? id.substring(0, 64) : id);
  }
}
