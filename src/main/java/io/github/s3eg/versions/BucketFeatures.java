package io.github.s3eg.versions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a bucket does with writes, as far as the gateway must know before it writes: whether
 * versioning is enabled (a metadata-only self-copy would then leave an extra version behind) and
 * whether Object Lock is on (S3 then wants an integrity checksum on every upload). Asked from the
 * backend at most once per bucket per {@link #TTL} per instance (two small requests), and forgotten
 * at once when this instance changes the bucket's versioning or lock configuration. Another
 * instance's change is seen within {@link #TTL}.
 */
public final class BucketFeatures {

  /** How long an answer is kept. */
  public static final Duration TTL = Duration.ofMinutes(1);

  /**
   * The answer for one bucket.
   *
   * @param versioningEnabled every write makes a new version
   * @param keepsVersions versioning is enabled or suspended: older versions may exist
   * @param objectLockEnabled the bucket was created (or configured) with Object Lock
   */
  public record Features(
      boolean versioningEnabled, boolean keepsVersions, boolean objectLockEnabled) {}

  private final S3Client backend;
  private final Cache<String, Features> cache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

  public BucketFeatures(S3Client backend) {
    this.backend = backend;
  }

  public Features of(String bucket) {
    return cache.get(bucket, this::ask);
  }

  /** The answer for {@code bucket} when this instance has it (no backend request), else empty. */
  public java.util.Optional<Features> known(String bucket) {
    return java.util.Optional.ofNullable(cache.getIfPresent(bucket));
  }

  /**
   * Learns {@code bucket}'s features from the backend's answers, asked by route steps: {@code
   * versioning} the GetBucketVersioning answer, {@code lock} the GetObjectLockConfiguration answer,
   * each null when the backend does not have the feature ({@link #lacksFeature}).
   */
  public Features learn(
      String bucket,
      software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse versioning,
      software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse lock) {
    BucketVersioningStatus status = versioning == null ? null : versioning.status();
    boolean locked =
        lock != null
            && lock.objectLockConfiguration() != null
            && lock.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
    Features f =
        new Features(
            status == BucketVersioningStatus.ENABLED,
            status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED,
            locked);
    cache.put(bucket, f);
    return f;
  }

  public boolean versioningEnabled(String bucket) {
    return of(bucket).versioningEnabled();
  }

  public boolean keepsVersions(String bucket) {
    return of(bucket).keepsVersions();
  }

  public boolean objectLockEnabled(String bucket) {
    return of(bucket).objectLockEnabled();
  }

  /**
   * Refuses a write that asks for Object Lock settings in a bucket without Object Lock, as S3 does
   * (400 InvalidRequest), before anything reaches the backend: a backend that ignores such settings
   * (S3Proxy 2.9) would otherwise leave an object its writer believes locked deletable. A cached
   * "no" is asked again once (the bucket may have been created with Object Lock since).
   */
  public void requireObjectLockFor(String bucket, LockSettings settings) {
    if (settings.isEmpty() || objectLockEnabled(bucket)) {
      return;
    }
    forget(bucket);
    if (!objectLockEnabled(bucket)) {
      throw new io.github.s3eg.s3.S3Exception(
          io.github.s3eg.s3.S3ErrorCode.INVALID_REQUEST,
          "Bucket is missing Object Lock Configuration");
    }
  }

  /** This instance changed the bucket's versioning or lock configuration (or deleted it). */
  public void forget(String bucket) {
    cache.invalidate(bucket);
  }

  private Features ask(String bucket) {
    BucketVersioningStatus status;
    try {
      status = backend.getBucketVersioning(g -> g.bucket(bucket)).status();
    } catch (S3Exception e) {
      lacksFeature(e);
      status = null;
    }
    boolean lock;
    try {
      lock =
          backend
                  .getObjectLockConfiguration(g -> g.bucket(bucket))
                  .objectLockConfiguration()
                  .objectLockEnabled()
              == ObjectLockEnabled.ENABLED;
    } catch (S3Exception e) {
      // ObjectLockConfigurationNotFoundError (404) for a bucket without Object Lock.
      lock = lacksFeature(e);
    }
    return new Features(
        status == BucketVersioningStatus.ENABLED,
        status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED,
        lock);
  }

  /**
   * False for a backend that does not have the feature (400, 404 other than NoSuchBucket, 501): the
   * answer is "not enabled"; else rethrows.
   */
  public static boolean lacksFeature(S3Exception e) {
    if (e.statusCode() == 404
        && e.awsErrorDetails() != null
        && "NoSuchBucket".equals(e.awsErrorDetails().errorCode())) {
      throw e;
    }
    if (e.statusCode() != 404 && e.statusCode() != 400 && e.statusCode() != 501) {
      throw e;
    }
    return false;
  }
}
