package io.github.s3eg.multipart;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectFormat;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.versions.VersionRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Finds the part table of a multipart object: its index, cached per instance and re-read once when
 * the cached copy belongs to an earlier object of the same name. An object without a verifying
 * index is refused: the index is the only proof of how many parts the object has (each part
 * authenticates its own number and size, but a dropped last part leaves the others intact), and the
 * gateway writes it before the backend completes the object (format version 4), so a missing index
 * means it was deleted.
 */
public final class MultipartIndexes {

  /** The part table and the ETag to show for the object. */
  public record Loaded(MultipartIndex index, String etag) {}

  private final BackendClients backend;
  private final MultipartState state;
  private VersionRecords olderVersions;

  /** Finds the index of an older version of a key among the versions of its record name. */
  public void readOlderVersionsWith(VersionRecords records) {
    this.olderVersions = records;
  }

  public MultipartIndexes(BackendClients backend, MultipartState state) {
    this.backend = backend;
    this.state = state;
  }

  /**
   * Where the index of multipart object {@code key} lives: for format version 4 a name of its own
   * upload (the upload header is in the object's metadata), for version 3 the key's one name.
   */
  public static String nameOf(OpenedObject opened, String key) {
    return isLegacy(opened)
        ? ReservedKeys.index(key)
        : ReservedKeys.index(key, opened.header().encode());
  }

  /** Whether this is a format version 3 object, whose index was written after its Complete. */
  public static boolean isLegacy(OpenedObject opened) {
    return opened.metadata().version() == ObjectFormat.LEGACY_MULTIPART_VERSION;
  }

  /**
   * @param storedSize the backend object's size
   * @throws CryptoException.MetadataAuthenticationFailed if the index is missing, altered, another
   *     object's, or describes another size than the stored object's
   */
  public Loaded load(OpenedObject opened, String bucket, String key, long storedSize)
      throws CryptoException {
    String name = nameOf(opened, key);
    Optional<byte[]> cached = state.index(bucket, key, name, false);
    if (cached.isPresent()) {
      try {
        return verified(opened, bucket, key, cached.get(), storedSize);
      } catch (CryptoException staleOrAltered) {
        // Read again below: the cached index may be an earlier object's.
      }
    }
    Optional<byte[]> fresh = state.index(bucket, key, name, true);
    if (fresh.isEmpty() && olderVersions != null) {
      // In a bucket that keeps versions, a delete marker can hide a record a version still
      // needs, and a version 3 key's one name holds every version's index: the index is the
      // newest version of its name written for this upload (its MAC still decides).
      fresh = olderVersions.read(bucket, name, opened.header().encode());
    } else if (fresh.isPresent() && olderVersions != null && isLegacy(opened)) {
      try {
        return verified(opened, bucket, key, fresh.get(), storedSize);
      } catch (CryptoException newerVersions) {
        fresh = olderVersions.read(bucket, name, opened.header().encode());
      }
    }
    if (fresh.isEmpty()) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the multipart object's index is missing: its part list cannot be proved complete");
    }
    return verified(opened, bucket, key, fresh.get(), storedSize);
  }

  private static Loaded verified(
      OpenedObject opened, String bucket, String key, byte[] encoded, long storedSize)
      throws CryptoException {
    MultipartIndex index = opened.openIndex(encoded, bucket, key);
    if (index.ciphertextSize() != storedSize) {
      throw new CryptoException.MetadataAuthenticationFailed(
          "the object's size does not match its multipart index");
    }
    return new Loaded(index, index.etag());
  }

  /** The bytes at {@code range} ({@code bytes=a-b}) of an object (of its version, if named). */
  public byte[] readRange(String bucket, String key, String versionId, String range, int length) {
    try (var in =
        backend
            .s3()
            .getObject(
                GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .versionId(versionId)
                    .range(range)
                    .build())) {
      return in.readNBytes(length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
