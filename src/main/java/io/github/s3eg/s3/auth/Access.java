package io.github.s3eg.s3.auth;

/**
 * One resource a request touches and what it needs there: {@code action} on {@code bucket} (and
 * {@code key}, named for the audit log; credentials are scoped by bucket, not by key). {@code
 * bucket} is null for the service (ListBuckets: permission only), {@link Principal#ALL_BUCKETS} for
 * what spans every bucket (the audit log, metrics).
 *
 * @param role {@code target} for the resource the request names in its path, {@code source} for the
 *     object a copy reads
 */
public record Access(S3Action action, String bucket, String key, String role) {

  public static final String TARGET = "target";
  public static final String SOURCE = "source";

  static Access target(S3Action action, String bucket, String key) {
    return new Access(action, bucket, key, TARGET);
  }
}
