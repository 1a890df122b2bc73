package io.github.s3eg.s3;

/**
 * The S3 error codes the gateway can answer with, each with the HTTP status S3 uses for it. Names
 * and statuses follow the S3 API reference ("Error responses").
 */
public enum S3ErrorCode {
  ACCESS_DENIED("AccessDenied", 403),
  /** A CORS request the bucket's CORS configuration does not allow. */
  ACCESS_FORBIDDEN("AccessForbidden", 403),
  AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400),
  AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400),
  BAD_DIGEST("BadDigest", 400),
  BUCKET_ALREADY_OWNED_BY_YOU("BucketAlreadyOwnedByYou", 409),
  BUCKET_ALREADY_EXISTS("BucketAlreadyExists", 409),
  BUCKET_NOT_EMPTY("BucketNotEmpty", 409),
  CONDITIONAL_REQUEST_CONFLICT("ConditionalRequestConflict", 409),
  /**
   * The gateway's own: the object is encrypted under a key the gateway does not have (lost key
   * file, another password, a key version no longer configured). 403 like S3's answer for an object
   * that cannot be read in its state (InvalidObjectState), so clients do not retry; see
   * docs/troubleshooting.md.
   */
  ENCRYPTION_KEY_NOT_FOUND("EncryptionKeyNotFound", 403),
  ENTITY_TOO_LARGE("EntityTooLarge", 400),
  ENTITY_TOO_SMALL("EntityTooSmall", 400),
  EXPIRED_TOKEN("ExpiredToken", 400),
  INCOMPLETE_BODY("IncompleteBody", 400),
  INTERNAL_ERROR("InternalError", 500),
  INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403),
  INVALID_ARGUMENT("InvalidArgument", 400),
  INVALID_BUCKET_NAME("InvalidBucketName", 400),
  INVALID_BUCKET_STATE("InvalidBucketState", 409),
  INVALID_DIGEST("InvalidDigest", 400),
  INVALID_PART("InvalidPart", 400),
  INVALID_POLICY_DOCUMENT("InvalidPolicyDocument", 400),
  INVALID_PART_ORDER("InvalidPartOrder", 400),
  INVALID_RANGE("InvalidRange", 416),
  INVALID_REQUEST("InvalidRequest", 400),
  INVALID_RETENTION_PERIOD("InvalidRetentionPeriod", 400),
  INVALID_TAG("InvalidTag", 400),
  INVALID_STORAGE_CLASS("InvalidStorageClass", 400),
  INVALID_URI("InvalidURI", 400),
  KEY_TOO_LONG("KeyTooLongError", 400),
  MALFORMED_POLICY("MalformedPolicy", 400),
  MALFORMED_POST_REQUEST("MalformedPOSTRequest", 400),
  MALFORMED_TRAILER_ERROR("MalformedTrailerError", 400),
  MALFORMED_XML("MalformedXML", 400),
  MAX_MESSAGE_LENGTH_EXCEEDED("MaxMessageLengthExceeded", 400),
  MAX_POST_PRE_DATA_LENGTH_EXCEEDED("MaxPostPreDataLengthExceeded", 400),
  METADATA_TOO_LARGE("MetadataTooLarge", 400),
  METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
  MISSING_CONTENT_LENGTH("MissingContentLength", 411),
  NO_SUCH_BUCKET("NoSuchBucket", 404),
  NO_SUCH_KEY("NoSuchKey", 404),
  NO_SUCH_UPLOAD("NoSuchUpload", 404),
  NO_SUCH_OBJECT_LOCK_CONFIGURATION("NoSuchObjectLockConfiguration", 404),
  NO_SUCH_TAG_SET("NoSuchTagSet", 404),
  NO_SUCH_VERSION("NoSuchVersion", 404),
  OBJECT_LOCK_CONFIGURATION_NOT_FOUND("ObjectLockConfigurationNotFoundError", 404),
  NOT_IMPLEMENTED("NotImplemented", 501),
  NOT_MODIFIED("NotModified", 304),
  OPERATION_ABORTED("OperationAborted", 409),
  PRECONDITION_FAILED("PreconditionFailed", 412),
  REQUEST_HEADER_SECTION_TOO_LARGE("RequestHeaderSectionTooLarge", 400),
  REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403),
  REQUEST_TIMEOUT("RequestTimeout", 400),
  SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
  SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
  SLOW_DOWN("SlowDown", 503),
  X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400);

  private final String code;
  private final int httpStatus;

  S3ErrorCode(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  /** The value of {@code <Code>} in the XML error body. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
