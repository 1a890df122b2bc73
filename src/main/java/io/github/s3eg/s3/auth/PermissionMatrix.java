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
 * audit log and metrics span every bucket, so they need a credential for {@code *}.
 */
public final class PermissionMatrix {

  /** The operation name of a metrics scrape ({@code GET /metrics}, signed). */
  public static final String METRICS = "Metrics";

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
    return switch (operation) {
      case "ListBuckets" -> List.of(Access.target(S3Action.READ, null, null));
      case "AuditEvents" -> List.of(Access.target(S3Action.ADMIN, Principal.ALL_BUCKETS, null));
      case METRICS -> List.of(Access.target(S3Action.READ, Principal.ALL_BUCKETS, null));
      case "GetBucketLocation",
          "ListObjects",
          "ListObjectsV2",
          "ListMultipartUploads",
          "HeadBucket" ->
          List.of(Access.target(S3Action.READ, bucket, null));
      case "CreateBucket", "DeleteBucket", "Rewrap" ->
          List.of(Access.target(S3Action.ADMIN, bucket, null));
      case "DeleteObjects" -> List.of(Access.target(S3Action.WRITE, bucket, null));
      case "GetObject", "GetObjectAttributes", "HeadObject", "ListParts" ->
          List.of(Access.target(S3Action.READ, bucket, key));
      case "PutObject",
          "DeleteObject",
          "CreateMultipartUpload",
          "UploadPart",
          "CompleteMultipartUpload",
          "AbortMultipartUpload" ->
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
