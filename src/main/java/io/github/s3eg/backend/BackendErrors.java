package io.github.s3eg.backend;

import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Maps failures of backend calls to the S3 errors the client should see. Backend error codes that
 * mean the same to the client (NoSuchKey, BucketNotEmpty, …) pass through by code; a backend that
 * cannot be reached or fails with 5xx becomes 503 ServiceUnavailable; anything else becomes 500
 * InternalError. Backend messages and stack traces are never shown to the client.
 */
public final class BackendErrors {

  private static final Map<String, S3ErrorCode> PASS_THROUGH =
      Map.ofEntries(
          Map.entry("NoSuchKey", S3ErrorCode.NO_SUCH_KEY),
          Map.entry("NoSuchBucket", S3ErrorCode.NO_SUCH_BUCKET),
          Map.entry("NoSuchUpload", S3ErrorCode.NO_SUCH_UPLOAD),
          Map.entry("BucketNotEmpty", S3ErrorCode.BUCKET_NOT_EMPTY),
          Map.entry("BucketAlreadyOwnedByYou", S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU),
          Map.entry("BucketAlreadyExists", S3ErrorCode.BUCKET_ALREADY_EXISTS),
          Map.entry("InvalidRange", S3ErrorCode.INVALID_RANGE),
          Map.entry("PreconditionFailed", S3ErrorCode.PRECONDITION_FAILED),
          // A concurrent conditional write won at the backend (S3 answers 409 to the loser).
          Map.entry("ConditionalRequestConflict", S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT),
          Map.entry("InvalidBucketName", S3ErrorCode.INVALID_BUCKET_NAME),
          Map.entry("InvalidPart", S3ErrorCode.INVALID_PART),
          Map.entry("InvalidPartOrder", S3ErrorCode.INVALID_PART_ORDER),
          Map.entry("EntityTooSmall", S3ErrorCode.ENTITY_TOO_SMALL),
          Map.entry("EntityTooLarge", S3ErrorCode.ENTITY_TOO_LARGE),
          Map.entry("BadDigest", S3ErrorCode.BAD_DIGEST),
          Map.entry("InvalidDigest", S3ErrorCode.INVALID_DIGEST),
          Map.entry("KeyTooLongError", S3ErrorCode.KEY_TOO_LONG),
          Map.entry("SlowDown", S3ErrorCode.SLOW_DOWN),
          Map.entry("InvalidArgument", S3ErrorCode.INVALID_ARGUMENT),
          // Object Lock is the backend's to enforce: its refusals reach the client as they are (a
          // locked version's DELETE is AccessDenied; a lock setting on a bucket without Object
          // Lock is InvalidRequest; suspending versioning of such a bucket InvalidBucketState).
          Map.entry("AccessDenied", S3ErrorCode.ACCESS_DENIED),
          Map.entry("InvalidRequest", S3ErrorCode.INVALID_REQUEST),
          Map.entry("InvalidBucketState", S3ErrorCode.INVALID_BUCKET_STATE),
          Map.entry("InvalidRetentionPeriod", S3ErrorCode.INVALID_RETENTION_PERIOD),
          Map.entry(
              "ObjectLockConfigurationNotFoundError",
              S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND),
          Map.entry("NoSuchObjectLockConfiguration", S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION),
          Map.entry("NoSuchTagSet", S3ErrorCode.NO_SUCH_TAG_SET),
          Map.entry("NoSuchTagSetError", S3ErrorCode.NO_SUCH_TAG_SET),
          Map.entry("InvalidTag", S3ErrorCode.INVALID_TAG),
          Map.entry("NoSuchVersion", S3ErrorCode.NO_SUCH_VERSION),
          Map.entry("MalformedXML", S3ErrorCode.MALFORMED_XML),
          Map.entry("MethodNotAllowed", S3ErrorCode.METHOD_NOT_ALLOWED),
          // What the backend does not implement, the gateway cannot offer either (S3Proxy 2.9:
          // x-amz-website-redirect-location, delimiter and key-marker of ListMultipartUploads, an
          // ACL grant header).
          Map.entry("NotImplemented", S3ErrorCode.NOT_IMPLEMENTED));

  private BackendErrors() {}

  /** The client-facing error for a backend failure, or null if {@code t} is not one. */
  public static S3Exception map(Throwable t, String bucket, String key) {
    if (t instanceof software.amazon.awssdk.services.s3.model.S3Exception e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (status == 304) {
        return new Preconditions.NotModified(null);
      }
      S3ErrorCode mapped = code == null ? null : PASS_THROUGH.get(code);
      if (mapped == null) {
        if (t instanceof NoSuchKeyException || (status == 404 && key != null && code == null)) {
          mapped = S3ErrorCode.NO_SUCH_KEY;
        } else if (t instanceof NoSuchBucketException || (status == 404 && key == null)) {
          mapped = S3ErrorCode.NO_SUCH_BUCKET;
        } else if (t instanceof NoSuchUploadException) {
          mapped = S3ErrorCode.NO_SUCH_UPLOAD;
        } else if (status == 412) {
          mapped = S3ErrorCode.PRECONDITION_FAILED;
        } else if (status == 416) {
          mapped = S3ErrorCode.INVALID_RANGE;
        } else if (status == 501) {
          mapped = S3ErrorCode.NOT_IMPLEMENTED;
        }
      }
      if (mapped != null) {
        return new S3Exception(mapped, messageFor(mapped), t)
            .with("BucketName", bucket)
            .with("Key", key);
      }
      if (status >= 500) {
        return new S3Exception(
            S3ErrorCode.SERVICE_UNAVAILABLE,
            "The storage backend is unavailable; please retry.",
            t);
      }
      return new S3Exception(
          S3ErrorCode.INTERNAL_ERROR,
          "The storage backend refused the request (" + status + ").",
          t);
    }
    if (t instanceof SdkClientException) {
      return new S3Exception(
          S3ErrorCode.SERVICE_UNAVAILABLE,
          "The storage backend cannot be reached; please retry.",
          t);
    }
    return null;
  }

  private static String messageFor(S3ErrorCode code) {
    return switch (code) {
      case NO_SUCH_KEY -> "The specified key does not exist.";
      case NO_SUCH_BUCKET -> "The specified bucket does not exist";
      case NO_SUCH_UPLOAD -> "The specified multipart upload does not exist.";
      case BUCKET_NOT_EMPTY -> "The bucket you tried to delete is not empty";
      case BUCKET_ALREADY_OWNED_BY_YOU ->
          "Your previous request to create the named bucket succeeded and you already own it.";
      case BUCKET_ALREADY_EXISTS -> "The requested bucket name is not available.";
      case INVALID_RANGE -> "The requested range is not satisfiable";
      case PRECONDITION_FAILED -> "At least one of the pre-conditions you specified did not hold";
      case CONDITIONAL_REQUEST_CONFLICT ->
          "A conflicting operation occurred. If using PutObject you can retry the request.";
      case SLOW_DOWN -> "Please reduce your request rate.";
      case ACCESS_DENIED -> "Access Denied";
      case INVALID_BUCKET_STATE -> "The request is not valid with the current state of the bucket.";
      case OBJECT_LOCK_CONFIGURATION_NOT_FOUND ->
          "Object Lock configuration does not exist for this bucket";
      case NO_SUCH_OBJECT_LOCK_CONFIGURATION ->
          "The specified object does not have an ObjectLock" + " configuration";
      case NO_SUCH_TAG_SET -> "The TagSet does not exist";
      case NO_SUCH_VERSION -> "The specified version does not exist.";
      case INVALID_REQUEST, INVALID_RETENTION_PERIOD, INVALID_TAG, MALFORMED_XML ->
          "The storage backend refused the request as invalid (" + code.code() + ").";
      case NOT_IMPLEMENTED ->
          "A header or parameter you provided implies functionality the storage backend does not"
              + " implement.";
      default -> code.code();
    };
  }
}
