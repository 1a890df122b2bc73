package io.github.s3eg.versions;

import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.s3.RequestedVersion;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * What follows a write that the backend completes from parts or copies (CompleteMultipartUpload,
 * CopyObject), where a backend may not have done all S3 does: the new version gets the lock
 * settings and tags its write asked for ({@link SettingsEnforcer}), and the gateway's records of it
 * get its protection ({@link RecordLocks}) — also the protection the bucket's default retention
 * gave it, which the records, written a moment before or after it, would otherwise hold for a
 * slightly different time.
 */
public final class NewVersions {

  /** How many versions of a key {@link #locate} looks at before it gives up. */
  static final int LOCATE_LIMIT = 50;

  private final S3Client backend;
  private final BucketFeatures features;
  private final SettingsEnforcer enforcer;
  private final RecordLocks locks;

  public NewVersions(
      S3Client backend, BucketFeatures features, SettingsEnforcer enforcer, RecordLocks locks) {
    this.backend = backend;
    this.features = features;
    this.enforcer = enforcer;
    this.locks = locks;
  }

  public BucketFeatures features() {
    return features;
  }

  /**
   * Settles version {@code versionId} of {@code key} that the gateway just wrote with {@code
   * metadata} (its {@code s3eg-} entries at least).
   */
  public void settle(
      String bucket,
      String key,
      String versionId,
      Map<String, String> metadata,
      NewVersionSettings settings) {
    if (settings.isEmpty() && !features.objectLockEnabled(bucket)) {
      return;
    }
    LockSettings lock = enforcer.enforce(bucket, key, versionId, settings);
    locks.protect(bucket, key, metadata, lock);
  }

  /**
   * The id of the version of {@code key} that carries {@code metadata}'s wrapped data key, for a
   * backend that does not name the version a copy made (Ceph RGW 16.2). Every write of the gateway
   * wraps its data key anew under a fresh random nonce, so the wrapped key names one version; a
   * concurrent writer's version never matches. Null in an unversioned bucket, or when the version
   * is not among the newest {@value #LOCATE_LIMIT} of the key.
   */
  public String locate(String bucket, String key, Map<String, String> metadata) {
    String wrapped = metadata.get(ObjectMetadata.DEK);
    HeadObjectResponse latest = backend.headObject(h -> h.bucket(bucket).key(key));
    if (RequestedVersion.pin(latest.versionId()) == null) {
      return null;
    }
    if (Objects.equals(latest.metadata().get(ObjectMetadata.DEK), wrapped)) {
      return latest.versionId();
    }
    ListObjectVersionsResponse r =
        backend.listObjectVersions(l -> l.bucket(bucket).prefix(key).maxKeys(LOCATE_LIMIT));
    for (ObjectVersion v : r.versions()) {
      if (!v.key().equals(key)) {
        continue;
      }
      HeadObjectResponse head =
          backend.headObject(h -> h.bucket(bucket).key(key).versionId(v.versionId()));
      if (Objects.equals(head.metadata().get(ObjectMetadata.DEK), wrapped)) {
        return v.versionId();
      }
    }
    return null;
  }
}
