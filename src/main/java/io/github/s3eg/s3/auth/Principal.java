package io.github.s3eg.s3.auth;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated client: its access key, what it may do and where. Holds no secret, so it can be
 * kept on the exchange, logged and audited freely.
 *
 * @param accessKey the client's access key id
 * @param permission what the key may do
 * @param buckets the bucket names the key may use; {@link #ALL_BUCKETS} alone means every bucket
 */
public record Principal(String accessKey, Permission permission, Set<String> buckets) {

  /** The bucket list entry that grants every bucket. */
  public static final String ALL_BUCKETS = "*";

  public Principal {
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(permission, "permission");
    buckets = Set.copyOf(buckets);
  }

  /**
   * Checks that this principal may perform {@code action} on {@code bucket}.
   *
   * @param bucket the bucket addressed, or {@code null} for service-level requests (ListBuckets,
   *     admin endpoints), where only the permission is checked
   * @throws S3Exception {@link S3ErrorCode#ACCESS_DENIED} if it may not
   */
  public void authorize(S3Action action, String bucket) {
    if (!permission.allows(action) || (bucket != null && !canSee(bucket))) {
      throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied");
    }
  }

  /** Whether {@code bucket} is one of this principal's buckets; filters ListBuckets. */
  public boolean canSee(String bucket) {
    return buckets.contains(ALL_BUCKETS) || buckets.contains(bucket);
  }
}
