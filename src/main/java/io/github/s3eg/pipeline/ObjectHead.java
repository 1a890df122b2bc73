package io.github.s3eg.pipeline;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The backend HEAD of an object a request names but does not read or write itself: a copy's source,
 * the object a conditional write replaces. A HEAD answer has no body, so its 404 cannot say whether
 * the key or its whole bucket is missing; S3 answers a copy from a missing bucket with NoSuchBucket
 * (naming that bucket), so after a 404 the bucket is looked up once.
 */
final class ObjectHead {

  private ObjectHead() {}

  static HeadObjectResponse of(S3Client backend, String bucket, String key) {
    return of(backend, bucket, key, (String) null);
  }

  /** Version {@code versionId} of the object (the current one for null). */
  static HeadObjectResponse of(S3Client backend, String bucket, String key, String versionId) {
    try {
      return backend.headObject(h -> h.bucket(bucket).key(key).versionId(versionId));
    } catch (software.amazon.awssdk.services.s3.model.S3Exception missing) {
      missingBucket(backend, bucket, missing);
      throw missing;
    }
  }

  /**
   * After a HEAD of {@code bucket}/{@code key} failed with {@code failure}: NoSuchBucket when it
   * was a 404 and the bucket does not exist; otherwise returns, and the caller keeps the failure.
   */
  static void of(
      S3Client backend,
      String bucket,
      String key,
      software.amazon.awssdk.services.s3.model.S3Exception failure) {
    missingBucket(backend, bucket, failure);
  }

  /** NoSuchBucket when {@code failure} was a 404 and the bucket does not exist. */
  private static void missingBucket(
      S3Client backend,
      String bucket,
      software.amazon.awssdk.services.s3.model.S3Exception failure) {
    if (failure.statusCode() == 404 && !bucketExists(backend, bucket)) {
      throw new S3Exception(
              S3ErrorCode.NO_SUCH_BUCKET, "The specified bucket does not exist", failure)
          .with("BucketName", bucket);
    }
  }

  private static boolean bucketExists(S3Client backend, String bucket) {
    try {
      backend.headBucket(h -> h.bucket(bucket));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      // Only a 404 says the bucket is missing; anything else leaves the key's 404 as it was.
      return e.statusCode() != 404;
    }
  }
}
