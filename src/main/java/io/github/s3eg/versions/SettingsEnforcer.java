package io.github.s3eg.versions;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * Makes a version the gateway just wrote carry the Object Lock settings and tags its write asked
 * for, where the backend may have dropped them: Ceph RGW 16.2 ignores lock and tagging headers on
 * CreateMultipartUpload and CopyObject (and gives a copy its source's retention). One HEAD of the
 * version shows what it got; what is missing is set with PutObjectRetention, PutObjectLegalHold and
 * Put/DeleteObjectTagging on that version. On a backend that applied everything (S3), nothing more
 * is sent.
 *
 * <p>Only ever the version the gateway wrote (named by its id), never "the latest": a concurrent
 * writer's version is never locked by mistake. A version that ends up less protected than asked (a
 * retention that could not be set) fails the request, so a client never believes in a lock it
 * lacks; one that ends up more protected (RGW's copy of a longer COMPLIANCE retention, which no one
 * can shorten) is kept and logged.
 */
public final class SettingsEnforcer {

  private static final Logger LOG = LoggerFactory.getLogger(SettingsEnforcer.class);

  private final S3Client backend;

  public SettingsEnforcer(S3Client backend) {
    this.backend = backend;
  }

  /**
   * @param versionId the new version (null on a backend without versioning)
   * @return what the version is protected by now (for the gateway's records of it)
   */
  public LockSettings enforce(
      String bucket, String key, String versionId, NewVersionSettings settings) {
    HeadObjectResponse head =
        backend.headObject(h -> h.bucket(bucket).key(key).versionId(versionId));
    LockSettings wanted = settings.lock();
    if (wanted.hasRetention() && !sameRetention(head, wanted)) {
      if (weaker(head, wanted)) {
        setRetention(bucket, key, versionId, wanted);
      } else {
        LOG.warn(
            "{}/{} version {} kept the stronger retention the backend gave it ({} until {}), not"
                + " the one asked for ({} until {})",
            bucket,
            key,
            versionId,
            head.objectLockMode(),
            head.objectLockRetainUntilDate(),
            wanted.mode(),
            wanted.retainUntil());
      }
    }
    if (wanted.hasLegalHold() && wanted.legalHold() != hold(head)) {
      fail(
          () ->
              backend.putObjectLegalHold(
                  l ->
                      l.bucket(bucket)
                          .key(key)
                          .versionId(versionId)
                          .legalHold(h -> h.status(wanted.legalHold()))),
          bucket,
          key,
          versionId,
          "legal hold");
    }
    settings
        .tags()
        .ifPresent(
            tags -> {
              // HEAD's x-amz-tagging-count is not answered by every backend: ask for the tags.
              TagSet current = current(bucket, key, versionId);
              if (tags.isEmpty() && !current.isEmpty()) {
                backend.deleteObjectTagging(d -> d.bucket(bucket).key(key).versionId(versionId));
              } else if (!tags.isEmpty() && !tags.equals(current)) {
                backend.putObjectTagging(
                    p -> p.bucket(bucket).key(key).versionId(versionId).tagging(tags.toTagging()));
              }
            });
    if (settings.lock().isEmpty()) {
      return lockOf(head);
    }
    HeadObjectResponse now =
        backend.headObject(h -> h.bucket(bucket).key(key).versionId(versionId));
    return lockOf(now);
  }

  private static LockSettings lockOf(HeadObjectResponse head) {
    return new LockSettings(
        head.objectLockMode(), head.objectLockRetainUntilDate(), head.objectLockLegalHoldStatus());
  }

  private TagSet current(String bucket, String key, String versionId) {
    return TagSet.of(
        backend.getObjectTagging(g -> g.bucket(bucket).key(key).versionId(versionId)).tagSet());
  }

  private void setRetention(String bucket, String key, String versionId, LockSettings wanted) {
    fail(
        () ->
            backend.putObjectRetention(
                r ->
                    r.bucket(bucket)
                        .key(key)
                        .versionId(versionId)
                        .retention(
                            t ->
                                t.mode(wanted.mode().toString())
                                    .retainUntilDate(wanted.retainUntil()))),
        bucket,
        key,
        versionId,
        "retention");
  }

  private static boolean sameRetention(HeadObjectResponse head, LockSettings wanted) {
    return head.objectLockMode() == wanted.mode()
        && wanted.retainUntil().equals(head.objectLockRetainUntilDate());
  }

  /** Whether the version's retention protects it less than (or otherwise than) the one asked. */
  private static boolean weaker(HeadObjectResponse head, LockSettings wanted) {
    ObjectLockMode mode = head.objectLockMode();
    Instant until = head.objectLockRetainUntilDate();
    if (mode == null || until == null) {
      return true;
    }
    boolean modeAtLeast = mode == ObjectLockMode.COMPLIANCE || wanted.mode() == mode;
    return !modeAtLeast || until.isBefore(wanted.retainUntil());
  }

  private static ObjectLockLegalHoldStatus hold(HeadObjectResponse head) {
    ObjectLockLegalHoldStatus status = head.objectLockLegalHoldStatus();
    return status == null ? ObjectLockLegalHoldStatus.OFF : status;
  }

  private static void fail(
      Runnable call, String bucket, String key, String versionId, String what) {
    try {
      call.run();
    } catch (RuntimeException e) {
      throw new S3Exception(
              S3ErrorCode.INTERNAL_ERROR,
              "The object was written"
                  + (versionId == null ? "" : " as version " + versionId)
                  + ", but the storage backend refused its "
                  + what
                  + "; set it again with Put"
                  + (what.equals("retention") ? "ObjectRetention" : "ObjectLegalHold")
                  + ".",
              e)
          .with("BucketName", bucket)
          .with("Key", key);
    }
  }
}
