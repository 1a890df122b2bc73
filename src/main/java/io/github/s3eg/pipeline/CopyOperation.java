package io.github.s3eg.pipeline;

import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.time.Instant;

/**
 * What CopyObject and UploadPartCopy share: the {@code x-amz-copy-source-if-*} conditions (the
 * source itself is {@link io.github.s3eg.s3.CopySource}). The copy itself is {@link CopySteps}.
 */
public final class CopyOperation {

  private CopyOperation() {}

  /** {@code x-amz-copy-source-if-*}, against the source's plaintext ETag; S3 answers 412. */
  static void checkCopyConditions(S3Request s3, String etag, Instant lastModified) {
    String ifMatch = s3.header("x-amz-copy-source-if-match");
    String ifNoneMatch = s3.header("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince =
        Preconditions.parseHttpDate(s3.header("x-amz-copy-source-if-modified-since"));
    long modified = lastModified == null ? 0 : lastModified.getEpochSecond();
    boolean failed =
        (ifMatch != null && !Preconditions.matches(ifMatch, etag))
            || (ifMatch == null
                && unmodifiedSince != null
                && modified > unmodifiedSince.getEpochSecond())
            || (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, etag))
            || (ifNoneMatch == null
                && modifiedSince != null
                && modified <= modifiedSince.getEpochSecond());
    if (failed) {
      throw new S3Exception(
          S3ErrorCode.PRECONDITION_FAILED,
          "At least one of the pre-conditions you specified did not hold");
    }
  }
}
