package io.github.s3eg.s3.auth;

import java.util.Locale;

/**
 * What a request does, coarse enough that a permission check is one comparison. The gateway does
 * not model S3's hundreds of IAM actions: an operator hands out read, write or admin keys, and
 * every S3 operation falls into one of these three classes.
 */
public enum S3Action {
  /** GET and HEAD of objects, buckets and their sub-resources; ListBuckets, ListObjects. */
  READ,
  /**
   * PUT, POST and DELETE of objects and multipart uploads, DeleteObjects ({@code POST ?delete}).
   */
  WRITE,
  /** Bucket creation and deletion, bucket configuration, and the gateway's admin endpoints. */
  ADMIN;

  /**
   * Classifies an S3 request.
   *
   * <ul>
   *   <li>{@code GET}/{@code HEAD} anything → {@link #READ};
   *   <li>any other method on an object (a non-empty key) → {@link #WRITE};
   *   <li>{@code POST} on a bucket (DeleteObjects) → {@link #WRITE};
   *   <li>{@code PUT}/{@code DELETE} on a bucket (create, delete, configure) → {@link #ADMIN};
   *   <li>anything else on the service root → {@link #ADMIN}.
   * </ul>
   *
   * @param method the HTTP method
   * @param bucket the bucket addressed, or {@code null} for the service root
   * @param key the object key, or {@code null}/empty for bucket-level requests
   */
  public static S3Action classify(String method, String bucket, String key) {
    String m = method.toUpperCase(Locale.ROOT);
    if (m.equals("GET") || m.equals("HEAD")) {
      return READ;
    }
    if (bucket == null || bucket.isEmpty()) {
      return ADMIN;
    }
    if (key != null && !key.isEmpty()) {
      return WRITE;
    }
    return m.equals("POST") ? WRITE : ADMIN;
  }
}
