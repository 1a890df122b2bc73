package io.github.s3eg.versions;

/**
 * What an upload into a bucket must have before its first byte goes to the backend, beyond what
 * every upload has:
 *
 * <ul>
 *   <li>its complete metadata, in a bucket with versioning enabled: the authenticated ETag entry
 *       must go on the PUT itself, because adding it afterwards (a metadata-only copy of the object
 *       onto itself) would leave a second version behind;
 *   <li>the MD5 of its ciphertext ({@code Content-MD5}), in a bucket with Object Lock (or for a
 *       write with lock settings) when the backend client sends no checksum trailers: S3 refuses
 *       uploads there without an integrity checksum. With trailers (the {@code aws} and {@code
 *       minio} presets) the SDK's CRC32 trailer is that checksum.
 * </ul>
 *
 * Both mean the ciphertext is known whole before it is sent: spooled (in memory, or as ciphertext
 * in a temporary file) when it is larger than {@code ENCRYPTION_SPOOL_LIMIT}.
 */
public final class WriteRequirements {

  /** For one upload. */
  public record Needs(boolean metadataUpFront, boolean ciphertextMd5) {
    public static final Needs NONE = new Needs(false, false);

    public boolean spool() {
      return metadataUpFront || ciphertextMd5;
    }
  }

  private final BucketFeatures features;
  private final boolean checksumTrailers;

  /**
   * @param checksumTrailers whether the backend client sends checksum trailers with uploads
   */
  public WriteRequirements(BucketFeatures features, boolean checksumTrailers) {
    this.features = features;
    this.checksumTrailers = checksumTrailers;
  }

  /**
   * @param lockSettings whether the write itself asks for Object Lock settings
   */
  public Needs of(String bucket, boolean lockSettings) {
    BucketFeatures.Features f = features.of(bucket);
    return new Needs(
        f.versioningEnabled() || f.objectLockEnabled(),
        !checksumTrailers && (lockSettings || f.objectLockEnabled()));
  }

  /** See {@link BucketFeatures#requireObjectLockFor}. */
  public void requireObjectLockFor(String bucket, LockSettings settings) {
    features.requireObjectLockFor(bucket, settings);
  }

  /** Whether an upload part into {@code bucket} needs the MD5 of its ciphertext. */
  public boolean partNeedsMd5(String bucket, boolean lockSettings) {
    return !checksumTrailers && (lockSettings || features.objectLockEnabled(bucket));
  }
}
