package io.github.s3eg.versions;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * What a write asks for its new version besides bytes and metadata: Object Lock settings and tags
 * ({@code x-amz-tagging}). PutObject and CreateMultipartUpload take them as they are; CopyObject
 * takes the tags only with {@code x-amz-tagging-directive: REPLACE} (else the copy keeps the
 * source's). The backend request carries them; where a backend drops them (Ceph RGW 16.2 on
 * CreateMultipartUpload and CopyObject) {@link SettingsEnforcer} applies them to the new version.
 *
 * @param lock the Object Lock settings asked for
 * @param tags the tags asked for; empty when the version takes the source's (a COPY directive) or,
 *     for a PUT, when the request names none
 */
public record NewVersionSettings(LockSettings lock, Optional<TagSet> tags) {

  public static final String TAGGING = "x-amz-tagging";
  public static final String TAGGING_DIRECTIVE = "x-amz-tagging-directive";

  static final String RECORD_TAGGING = "tagging";

  public static final NewVersionSettings NONE =
      new NewVersionSettings(LockSettings.NONE, Optional.empty());

  /** The settings of a PutObject or CreateMultipartUpload. */
  public static NewVersionSettings fromPut(S3Request request) {
    String tagging = request.header(TAGGING);
    return new NewVersionSettings(
        LockSettings.fromRequest(request),
        tagging == null ? Optional.empty() : Optional.of(TagSet.fromHeader(tagging)));
  }

  /**
   * The settings of a CopyObject: tags only under {@code x-amz-tagging-directive: REPLACE}, and
   * then exactly those of {@code x-amz-tagging} (none without it).
   */
  public static NewVersionSettings fromCopy(S3Request request) {
    LockSettings lock = LockSettings.fromRequest(request);
    String directive = request.header(TAGGING_DIRECTIVE);
    if (directive == null || directive.trim().equalsIgnoreCase("COPY")) {
      return new NewVersionSettings(lock, Optional.empty());
    }
    if (!directive.trim().toUpperCase(Locale.ROOT).equals("REPLACE")) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown tagging directive.")
          .with("ArgumentName", TAGGING_DIRECTIVE);
    }
    return new NewVersionSettings(lock, Optional.of(TagSet.fromHeader(request.header(TAGGING))));
  }

  /** These settings, but with {@code tags} when they name none of their own. */
  public NewVersionSettings withTagsIfNone(TagSet sourceTags) {
    return tags.isPresent() ? this : new NewVersionSettings(lock, Optional.of(sourceTags));
  }

  public boolean isEmpty() {
    return lock.isEmpty() && tags.isEmpty();
  }

  public void applyTo(PutObjectRequest.Builder b) {
    lock.applyTo(b::objectLockMode, b::objectLockRetainUntilDate, b::objectLockLegalHoldStatus);
    tags.filter(t -> !t.isEmpty()).ifPresent(t -> b.tagging(t.toHeader()));
  }

  public void applyTo(CreateMultipartUploadRequest.Builder b) {
    lock.applyTo(b::objectLockMode, b::objectLockRetainUntilDate, b::objectLockLegalHoldStatus);
    tags.filter(t -> !t.isEmpty()).ifPresent(t -> b.tagging(t.toHeader()));
  }

  public void applyTo(CopyObjectRequest.Builder b) {
    lock.applyTo(b::objectLockMode, b::objectLockRetainUntilDate, b::objectLockLegalHoldStatus);
    tags.ifPresent(
        t -> {
          b.taggingDirective(TaggingDirective.REPLACE);
          if (!t.isEmpty()) {
            b.tagging(t.toHeader());
          }
        });
  }

  /** The settings as entries of an upload record, enforced again at Complete. */
  public Map<String, String> toRecord() {
    Map<String, String> m = new LinkedHashMap<>(lock.toRecord());
    tags.ifPresent(t -> m.put(RECORD_TAGGING, t.toHeader()));
    return m;
  }

  /** What an upload record kept; NONE for a record written before these entries existed. */
  public static NewVersionSettings fromRecord(Map<String, String> record) {
    String tagging = record.get(RECORD_TAGGING);
    return new NewVersionSettings(
        LockSettings.fromRecord(record),
        tagging == null ? Optional.empty() : Optional.of(TagSet.fromHeader(tagging)));
  }
}
