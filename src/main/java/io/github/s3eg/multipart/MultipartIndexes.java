package io.github.s3eg.multipart;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.MultipartLayout;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.SegmentLayout;
import io.github.s3eg.versions.VersionRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Finds the part table of a multipart object: its index (cached per instance, re-read once when the
 * cached copy belongs to an earlier object of the same name), or, when the index is missing (the
 * gateway stopped between the backend's Complete and writing the index), by walking the parts'
 * authenticated prefixes from the start of the object — slower, but the object stays readable.
 */
public final class MultipartIndexes {

  private static final Logger LOG = LoggerFactory.getLogger(MultipartIndexes.class);

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
   * @param storedSize the backend object's size
   * @param backendEtag the backend object's ETag (shown when the index is missing)
   */
  public Loaded load(
      OpenedObject opened, String bucket, String key, long storedSize, String backendEtag)
      throws CryptoException {
    Optional<byte[]> cached = state.index(bucket, key, false);
    if (cached.isPresent()) {
      try {
        return verified(opened, bucket, key, cached.get(), storedSize);
      } catch (CryptoException staleOrAltered) {
        // Read again below: the cached index may be an earlier object's.
      }
    }
    Optional<byte[]> fresh = state.index(bucket, key, true);
    CryptoException notThisObjects = null;
    if (fresh.isPresent()) {
      try {
        return verified(opened, bucket, key, fresh.get(), storedSize);
      } catch (CryptoException e) {
        notThisObjects = e;
      }
    }
    if (olderVersions != null) {
      // A versioned bucket keeps the index of every version of the key under its one name:
      // an older version's is an older version of that name.
      Optional<byte[]> older =
          olderVersions.read(bucket, ReservedKeys.index(key), opened.header().encode());
      if (older.isPresent()) {
        return verified(opened, bucket, key, older.get(), storedSize);
      }
    }
    if (notThisObjects != null) {
      throw notThisObjects;
    }
    LOG.warn(
        "multipart object {}/{} has no index (interrupted Complete?): walking its parts",
        bucket,
        key);
    return new Loaded(walk(opened, bucket, key, storedSize), unquote(backendEtag));
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

  /** Reads the 12-byte prefix of each part in turn. */
  private MultipartIndex walk(OpenedObject opened, String bucket, String key, long storedSize)
      throws CryptoException {
    SegmentLayout layout = opened.layout();
    List<MultipartIndex.Part> parts = new ArrayList<>();
    long offset = 0;
    while (offset < storedSize) {
      if (parts.size() >= MultipartLayout.MAX_PART_NUMBER) {
        throw new CryptoException.MetadataAuthenticationFailed("more parts than S3 allows");
      }
      byte[] prefix = readAt(bucket, key, offset, MultipartLayout.PART_PREFIX_LENGTH);
      if (prefix.length < MultipartLayout.PART_PREFIX_LENGTH) {
        throw new CryptoException.MetadataAuthenticationFailed("a part prefix is cut");
      }
      ByteBuffer b = ByteBuffer.wrap(prefix);
      int number = b.getInt();
      long size = b.getLong();
      try {
        parts.add(new MultipartIndex.Part(number, size));
        offset += MultipartLayout.partCiphertextSize(layout, size);
      } catch (IllegalArgumentException e) {
        throw new CryptoException.MetadataAuthenticationFailed("a part prefix is not valid");
      }
    }
    if (offset != storedSize) {
      throw new CryptoException.MetadataAuthenticationFailed("the parts do not fill the object");
    }
    try {
      return new MultipartIndex(opened.header(), new byte[16], parts, layout);
    } catch (IllegalArgumentException e) {
      throw new CryptoException.MetadataAuthenticationFailed("the parts are out of order");
    }
  }

  private byte[] readAt(String bucket, String key, long offset, int length) {
    try (var in =
        backend
            .s3()
            .getObject(
                GetObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1))
                    .build())) {
      return in.readNBytes(length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  private static String unquote(String etag) {
    return etag == null ? "" : etag.replace("\"", "");
  }
}
