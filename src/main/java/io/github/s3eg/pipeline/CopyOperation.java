package io.github.s3eg.pipeline;

import io.github.s3eg.s3.Preconditions;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import io.github.s3eg.s3.S3RequestParser;
import java.time.Instant;

/**
 * What CopyObject and UploadPartCopy share: the source named by {@code x-amz-copy-source}, and the
 * {@code x-amz-copy-source-if-*} conditions. The copy itself is {@link CopySteps}.
 */
public final class CopyOperation {

  /** The source named by {@code x-amz-copy-source}. */
  public record CopySource(String bucket, String key) {

    public static CopySource parse(String header) {
      String value = header.trim();
      if (value.contains("?versionId=")) {
        throw new S3Exception(
            S3ErrorCode.NOT_IMPLEMENTED, "Copying a specific object version is not supported");
      }
      String decoded = S3RequestParser.parseQuery("x=" + value.replace("+", "%2B")).get("x");
      if (decoded.startsWith("/")) {
        decoded = decoded.substring(1);
      }
      int slash = decoded.indexOf('/');
      if (slash <= 0 || slash == decoded.length() - 1) {
        throw new S3Exception(
                S3ErrorCode.INVALID_ARGUMENT,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
            .with("ArgumentName", "x-amz-copy-source");
      }
      String key = decoded.substring(slash + 1);
      if (io.github.s3eg.backend.ReservedKeys.isReserved(key)) {
        throw new S3Exception(
            S3ErrorCode.ACCESS_DENIED,
            "Keys under "
                + io.github.s3eg.backend.ReservedKeys.PREFIX
                + " are reserved by the gateway.");
      }
      return new CopySource(decoded.substring(0, slash), key);
    }
  }

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
