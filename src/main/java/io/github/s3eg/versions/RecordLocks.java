package io.github.s3eg.versions;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;

/**
 * Gives the gateway's records of an object version ({@link VersionRecords}) the Object Lock
 * protection of the version: its retention and its legal hold. A locked multipart object whose
 * index could be deleted would not be locked (without its index it is refused), so whatever locks
 * the version locks its records too: lock settings it was written with, a retention or legal hold
 * set on it later, and the bucket's default retention (which the backend gives the records itself,
 * as they are written).
 *
 * <p>A record is never made less protected than it is, except on an explicit request to bypass
 * governance retention: its default retention may run a moment longer than the version's (it was
 * written a moment later), and a COMPLIANCE date cannot be brought forward.
 */
public final class RecordLocks {

  private final S3Client backend;
  private final VersionRecords records;

  public RecordLocks(S3Client backend, VersionRecords records) {
    this.backend = backend;
    this.records = records;
  }

  /**
   * Sets {@code retention} on the records of {@code key}'s version {@code versionId}: exactly with
   * {@code bypass}, else only where it protects a record longer or more strictly than it is.
   */
  public void retention(
      String bucket, String key, String versionId, ObjectLockRetention retention, boolean bypass) {
    for (VersionRecords.Record r : recordsOf(bucket, key, versionId)) {
      if (bypass) {
        backend.putObjectRetention(
            p ->
                p.bucket(bucket)
                    .key(r.name())
                    .versionId(r.versionId())
                    .retention(retention)
                    .bypassGovernanceRetention(true));
      } else if (retention.mode() != null && retention.retainUntilDate() != null) {
        extend(
            bucket,
            r,
            ObjectLockMode.fromValue(retention.modeAsString()),
            retention.retainUntilDate());
      }
    }
  }

  /** Sets the legal hold {@code status} on the records of {@code key}'s version. */
  public void legalHold(
      String bucket, String key, String versionId, ObjectLockLegalHoldStatus status) {
    for (VersionRecords.Record r : recordsOf(bucket, key, versionId)) {
      hold(bucket, r, status);
    }
  }

  /**
   * Gives the records of a version just written ({@code metadata} is its metadata) the protection
   * the backend reports on the version ({@code lock}).
   */
  public void protect(String bucket, String key, Map<String, String> metadata, LockSettings lock) {
    if (!lock.protects()) {
      return;
    }
    for (VersionRecords.Record r : records.of(bucket, key, metadata)) {
      if (lock.hasRetention()) {
        extend(bucket, r, lock.mode(), lock.retainUntil());
      }
      if (lock.legalHold() == ObjectLockLegalHoldStatus.ON) {
        hold(bucket, r, ObjectLockLegalHoldStatus.ON);
      }
    }
  }

  private void extend(String bucket, VersionRecords.Record r, ObjectLockMode mode, Instant until) {
    HeadObjectResponse head =
        backend.headObject(h -> h.bucket(bucket).key(r.name()).versionId(r.versionId()));
    Instant current = head.objectLockRetainUntilDate();
    boolean strongerMode =
        head.objectLockMode() == null
            || (mode == ObjectLockMode.COMPLIANCE && head.objectLockMode() != mode);
    boolean later = current == null || current.isBefore(until);
    if (!later && !strongerMode) {
      return;
    }
    Instant date = later ? until : current;
    ObjectLockMode newMode =
        head.objectLockMode() == ObjectLockMode.COMPLIANCE ? head.objectLockMode() : mode;
    backend.putObjectRetention(
        p ->
            p.bucket(bucket)
                .key(r.name())
                .versionId(r.versionId())
                .retention(t -> t.mode(newMode.toString()).retainUntilDate(date)));
  }

  private void hold(String bucket, VersionRecords.Record r, ObjectLockLegalHoldStatus status) {
    backend.putObjectLegalHold(
        p ->
            p.bucket(bucket)
                .key(r.name())
                .versionId(r.versionId())
                .legalHold(h -> h.status(status)));
  }

  private List<VersionRecords.Record> recordsOf(String bucket, String key, String versionId) {
    Map<String, String> metadata =
        backend.headObject(h -> h.bucket(bucket).key(key).versionId(versionId)).metadata();
    return records.of(bucket, key, metadata);
  }
}
