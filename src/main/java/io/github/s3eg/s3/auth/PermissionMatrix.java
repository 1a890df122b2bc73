package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.CopySource;
import io.github.s3eg.s3.S3Request;
import java.util.List;

/**
 * Every resource each S3 operation touches, and the permission it needs on each: the gateway's
 * access rules in one place (docs/security.md prints the same table, and a test checks every row
 * with restricted credentials). Authentication checks the principal against every entry before the
 * operation runs, so a request can act on nothing it was not authorized for.
 *
 * <p>The second resources: a copy (CopyObject, UploadPartCopy) reads its {@code x-amz-copy-source}
 * and needs {@code read} there besides {@code write} on its destination; the keys of a
 * DeleteObjects document are all in the request's bucket (S3 has no cross-bucket batch delete); the
 * audit log, metrics and health details span every bucket, so they need a credential for {@code *}.
 */
public final class PermissionMatrix {

  /** The operation name of a metrics scrape ({@code GET /metrics}, signed). */
  public static final String METRICS = "Metrics";

  /**
   * The operation name of a signed probe ({@code GET /health} with a signature): its answer lists
   * the health checks (route ids, backend and key manager state), which span every bucket.
   */
  public static final String HEALTH_DETAILS = "HealthDetails";

  private PermissionMatrix() {}

  /**
   * @param operation the {@link io.github.s3eg.s3.S3Operation} name, {@value #METRICS}, or null for
   *     a request no operation takes (it is refused after authentication with 405; until then the
   *     method decides, as {@link S3Action#classify})
   * @throws io.github.s3eg.s3.S3Exception InvalidArgument for a copy source that names no object
   */
  public static List<Access> of(String operation, S3Request r) {
    String bucket = r.bucket();
    String key = r.key();
    if (operation == null) {
      return List.of(Access.target(S3Action.classify(r.method(), bucket, key), bucket, key));
    }
    List<Access> accesses = accessesOf(operation, r);
    if (bypassesGovernance(r)) {
      // Undoing a lock is more than writing: S3 gives it a permission of its own.
      List<Access> more = new java.util.ArrayList<>(accesses);
      more.add(Access.target(S3Action.ADMIN, bucket, key));
      return List.copyOf(more);
    }
    return accesses;
  }

  /**
   * {@code x-amz-bypass-governance-retention: true} (DeleteObject, DeleteObjects,
   * PutObjectRetention) removes or shortens a GOVERNANCE retention: it needs admin on the bucket.
   */
  static boolean bypassesGovernance(S3Request r) {
    String value = r.header(BYPASS_GOVERNANCE);
    return value != null && value.trim().equalsIgnoreCase("true");
  }

  /** The header that asks to bypass governance retention. */
  public static final String BYPASS_GOVERNANCE = "x-amz-bypass-governance-retention";

  private static List<Access> accessesOf(String operation, S3Request r) {
    String bucket = r.bucket();
    String key = r.key();
    return switch (operation) {
      case "ListBuckets" -> List.of(Access.target(S3Action.READ, null, null));
      case "AuditEvents" -> List.of(Access.target(S3Action.ADMIN, Principal.ALL_BUCKETS, null));
      case METRICS, HEALTH_DETAILS ->
          List.of(Access.target(S3Action.READ, Principal.ALL_BUCKETS, null));
      case "GetBucketLocation",
          "ListObjects",
          "ListObjectsV2",
          "ListMultipartUploads",
          "HeadBucket",
          "ListObjectVersions",
          "GetBucketVersioning",
          "GetObjectLockConfiguration",
          "GetBucketTagging" ->
          List.of(Access.target(S3Action.READ, bucket, null));
      case "CreateBucket",
          "DeleteBucket",
          "Rewrap",
          "Scrub",
          "ScrubStatus",
          "PutBucketVersioning",
          "PutObjectLockConfiguration",
          "PutBucketTagging",
          "DeleteBucketTagging" ->
          List.of(Access.target(S3Action.ADMIN, bucket, null));
      case "DeleteObjects" -> List.of(Access.target(S3Action.WRITE, bucket, null));
      // Forwarded bucket configuration: reading it is reading the bucket; changing it (who may
      // reach the backend's copy, what the backend deletes, where it sends events) administers it.
      case "GetBucketAcl",
          "GetBucketPolicy",
          "GetBucketPolicyStatus",
          "GetBucketCors",
          "GetBucketLifecycleConfiguration",
          "GetBucketEncryption",
          "GetBucketOwnershipControls",
          "GetPublicAccessBlock",
          "GetBucketNotificationConfiguration",
          "GetBucketLogging",
          "GetBucketWebsite",
          "GetBucketRequestPayment" ->
          List.of(Access.target(S3Action.READ, bucket, null));
      case "PutBucketAcl",
          "PutBucketPolicy",
          "DeleteBucketPolicy",
          "PutBucketCors",
          "DeleteBucketCors",
          "PutBucketLifecycleConfiguration",
          "DeleteBucketLifecycle",
          "PutBucketEncryption",
          "DeleteBucketEncryption",
          "PutBucketOwnershipControls",
          "DeleteBucketOwnershipControls",
          "PutPublicAccessBlock",
          "DeletePublicAccessBlock",
          "PutBucketNotificationConfiguration",
          "PutBucketLogging",
          "PutBucketWebsite",
          "DeleteBucketWebsite",
          "PutBucketRequestPayment" ->
          List.of(Access.target(S3Action.ADMIN, bucket, null));
      // An object's ACL is set by a PutObject's x-amz-acl too: the same permission.
      case "GetObjectAcl" -> List.of(Access.target(S3Action.READ, bucket, key));
      case "PutObjectAcl" -> List.of(Access.target(S3Action.WRITE, bucket, key));
      // A browser upload: the bucket here; the key, once its form is read, as a PutObject.
      case "PostObject" -> List.of(Access.target(S3Action.WRITE, bucket, key));
      case "GetObject",
          "GetObjectAttributes",
          "HeadObject",
          "ListParts",
          "GetObjectTagging",
          "GetObjectRetention",
          "GetObjectLegalHold" ->
          List.of(Access.target(S3Action.READ, bucket, key));
      // A legal hold is set and released by an admin: a write key that could release one could
      // delete what it protects.
      case "PutObjectLegalHold" -> List.of(Access.target(S3Action.ADMIN, bucket, key));
      case "PutObject",
          "DeleteObject",
          "CreateMultipartUpload",
          "UploadPart",
          "CompleteMultipartUpload",
          "AbortMultipartUpload",
          "PutObjectTagging",
          "DeleteObjectTagging",
          // Without the governance bypass a retention can only be set or made longer.
          "PutObjectRetention" ->
          List.of(Access.target(S3Action.WRITE, bucket, key));
      case "CopyObject", "UploadPartCopy" -> {
        CopySource source = CopySource.of(r);
        yield List.of(
            Access.target(S3Action.WRITE, bucket, key),
            new Access(S3Action.READ, source.bucket(), source.key(), Access.SOURCE));
      }
      // An operation this table does not name yet fails closed: only an admin of every bucket.
      default -> List.of(Access.target(S3Action.ADMIN, Principal.ALL_BUCKETS, null));
    };
  }

  /** Checks every entry; the first one the principal lacks is refused (403 AccessDenied). */
  public static void authorize(Principal principal, List<Access> accesses) {
    for (Access a : accesses) {
      principal.authorize(a.action(), a.bucket());
    }
  }
}
