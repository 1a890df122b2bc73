package io.github.s3eg.versions;

import io.github.s3eg.s3.S3Response;
import java.time.Instant;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * The headers S3 answers a GET or HEAD of an object with about its version, lock and tags, taken
 * from the backend's answer: {@code x-amz-version-id}, {@code x-amz-object-lock-mode}, {@code
 * x-amz-object-lock-retain-until-date}, {@code x-amz-object-lock-legal-hold} and {@code
 * x-amz-tagging-count}. None of them says anything about the plaintext.
 */
public final class VersionHeaders {

  private VersionHeaders() {}

  public static void write(S3Response response, GetObjectResponse r) {
    write(
        response,
        r.versionId(),
        r.tagCount(),
        r.objectLockMode(),
        r.objectLockRetainUntilDate(),
        r.objectLockLegalHoldStatus());
  }

  public static void write(S3Response response, HeadObjectResponse r) {
    write(
        response,
        r.versionId(),
        r.tagCount(),
        r.objectLockMode(),
        r.objectLockRetainUntilDate(),
        r.objectLockLegalHoldStatus());
  }

  static void write(
      S3Response response,
      String versionId,
      Integer tagCount,
      ObjectLockMode mode,
      Instant retainUntil,
      ObjectLockLegalHoldStatus legalHold) {
    response
        .header("x-amz-version-id", versionId)
        .header("x-amz-tagging-count", tagCount == null ? null : tagCount.toString())
        .header(LockSettings.MODE, mode == null ? null : mode.toString())
        .header(
            LockSettings.RETAIN_UNTIL,
            retainUntil == null ? null : io.github.s3eg.s3.ObjectHeaders.xmlDate(retainUntil))
        .header(LockSettings.LEGAL_HOLD, legalHold == null ? null : legalHold.toString());
  }
}
