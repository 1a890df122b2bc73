package io.github.s3eg.s3;

/**
 * The backend's refusal of a request the gateway forwarded as the client sent it (bucket
 * configuration, ACLs): the client gets the backend's code, status and message, because they are
 * about the client's own document (NoSuchBucketPolicy, MalformedXML, InvalidArgument,
 * NotImplemented on backends without the feature, …). Only 4xx answers and 501 pass through; other
 * 5xx become 503 ServiceUnavailable like every backend failure.
 */
public final class ForwardedError extends S3Exception {

  private final String code;
  private final int httpStatus;

  public ForwardedError(String code, int httpStatus, String message) {
    super(closest(httpStatus), message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The gateway's own code nearest to a status, for whatever reads {@link #errorCode()}. */
  private static S3ErrorCode closest(int status) {
    return switch (status) {
      case 403 -> S3ErrorCode.ACCESS_DENIED;
      case 404 -> S3ErrorCode.NO_SUCH_BUCKET;
      case 405 -> S3ErrorCode.METHOD_NOT_ALLOWED;
      case 409 -> S3ErrorCode.BUCKET_NOT_EMPTY;
      case 412 -> S3ErrorCode.PRECONDITION_FAILED;
      case 501 -> S3ErrorCode.NOT_IMPLEMENTED;
      default -> S3ErrorCode.INVALID_REQUEST;
    };
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public int httpStatus() {
    return httpStatus;
  }
}
