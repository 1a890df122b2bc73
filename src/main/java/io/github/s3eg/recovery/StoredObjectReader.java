package io.github.s3eg.recovery;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.S3ecSources;
import io.github.s3eg.crypto.BoundedInputStream;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.MultipartDecryption;
import io.github.s3eg.crypto.MultipartIndex;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.crypto.OpenedObject;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.crypto.s3ec.S3ecObject;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.multipart.MultipartIndexes;
import io.github.s3eg.multipart.MultipartState;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Reads whole stored objects straight from the backend, with every check the gateway makes when it
 * serves them: single objects, compressed objects, multipart objects (whose index must verify) and,
 * when {@code ENCRYPTION_S3EC_KEYS} is set, AWS S3 Encryption Client objects. For the commands that
 * work without a running gateway ({@code decrypt}, {@code scrub}) and the scrub endpoint.
 *
 * <p>Each reader keeps its own multipart index cache, so the first read of every object's index
 * comes from the backend: a deleted index is noticed even when a gateway has it cached.
 */
public final class StoredObjectReader {

  /** What a stored object is. */
  public enum Kind {
    SINGLE,
    COMPRESSED,
    MULTIPART,
    S3EC,
    /** No encryption metadata: not written by the gateway. */
    PLAINTEXT
  }

  /**
   * An object whose metadata verified and whose data key is open.
   *
   * @param kek the key that wrapped its data key (null for plaintext)
   */
  public record Opened(
      String bucket,
      String key,
      HeadObjectResponse head,
      Kind kind,
      long plaintextSize,
      KeyReference kek,
      OpenedObject object,
      MultipartIndex index,
      S3ecObject s3ec) {}

  private final BackendClients backend;
  private final ObjectDecryptor decryptor;
  private final MultipartIndexes indexes;
  private final Optional<S3ecKeys> s3ec;
  private Throttle throttle = Throttle.unlimited();

  /** Paces every body this reader reads (a scrub against production). */
  public StoredObjectReader pacedBy(Throttle throttle) {
    this.throttle = throttle;
    return this;
  }

  /** {@code s3ec}: the keys S3 Encryption Client objects are opened with, if they are read. */
  public StoredObjectReader(BackendClients backend, KeyManager keys, Optional<S3ecKeys> s3ec) {
    this.backend = backend;
    this.decryptor = new ObjectDecryptor(keys);
    this.indexes = new MultipartIndexes(backend, new MultipartState(backend));
    this.s3ec = s3ec;
  }

  /**
   * Looks at {@code bucket}/{@code key} (one HEAD, and the index of a multipart object).
   *
   * @throws CryptoException the object fails a check that needs no body (metadata, key, index)
   */
  public Opened open(String bucket, String key) throws CryptoException {
    HeadObjectResponse head = backend.s3().headObject(h -> h.bucket(bucket).key(key));
    return open(bucket, key, head);
  }

  /** As {@link #open(String, String)} for an object already HEADed. */
  public Opened open(String bucket, String key, HeadObjectResponse head) throws CryptoException {
    boolean native_ = head.metadata().keySet().stream().anyMatch(ObjectMetadata::isCryptoEntry);
    if (!native_) {
      if (s3ec.isPresent()) {
        Optional<S3ecObject> o =
            S3ecSources.open(backend.s3(), s3ec.get(), bucket, key, head.metadata());
        if (o.isPresent()) {
          return new Opened(
              bucket,
              key,
              head,
              Kind.S3EC,
              o.get().plaintextSize(head.contentLength()),
              o.get().kek(),
              null,
              null,
              o.get());
        }
      }
      if (io.github.s3eg.crypto.s3ec.S3ecMetadata.shapeOf(head.metadata())
          != io.github.s3eg.crypto.s3ec.S3ecMetadata.Shape.NONE) {
        // Never passed off as plaintext: its bytes are ciphertext.
        throw new CryptoException.UnsupportedVersion(
            "an AWS S3 Encryption Client object; name its keys in ENCRYPTION_S3EC_KEYS to read it");
      }
      Optional<String> foreign = io.github.s3eg.crypto.ForeignEncryption.recognize(head.metadata());
      if (foreign.isPresent()) {
        throw new CryptoException.UnsupportedVersion(
            "encrypted by another gateway (" + foreign.get() + "); see docs/migration.md");
      }
      return new Opened(
          bucket, key, head, Kind.PLAINTEXT, head.contentLength(), null, null, null, null);
    }
    OpenedObject o = decryptor.open(bucket, key, head.metadata());
    KeyReference kek = o.metadata().wrappedKey().kek();
    if (o.isMultipart()) {
      MultipartIndex index = indexes.load(o, bucket, key, head.contentLength()).index();
      return new Opened(
          bucket, key, head, Kind.MULTIPART, index.plaintextSize(), kek, o, index, null);
    }
    Kind kind = o.compression().isPresent() ? Kind.COMPRESSED : Kind.SINGLE;
    return new Opened(
        bucket, key, head, kind, o.plaintextSize(head.contentLength()), kek, o, null, null);
  }

  /**
   * The plaintext of an opened object, streaming, as the gateway's GET releases it: every segment
   * (or compressed frame) is authenticated before its bytes come out, and a failure later in the
   * object ends the stream with a {@link io.github.s3eg.crypto.CryptoIOException}. The body read is
   * the version that was opened (If-Match). A plaintext object is returned as it is stored.
   *
   * <p>An S3 Encryption Client object is one GCM message whose tag comes last: its plaintext is
   * released as it decrypts and the stream fails at the end if the tag does not verify, so a
   * consumer must discard what it got on failure (the decrypt command writes to a temporary file).
   * {@code verifiedFirst} reads and verifies it whole first instead (ciphertext spooled, up to
   * {@code spoolLimit} in memory): for output that cannot be taken back.
   */
  public InputStream plaintext(Opened o, boolean verifiedFirst, long spoolLimit)
      throws IOException, CryptoException {
    if (o.kind() == Kind.MULTIPART) {
      if (o.plaintextSize() == 0) {
        return InputStream.nullInputStream();
      }
      MultipartDecryption plan = o.object().planRead(o.index(), 0, o.plaintextSize() - 1);
      ResponseInputStream<GetObjectResponse> in = get(o, plan.httpRange());
      return closing(
          plan.decrypt(new BoundedInputStream(throttle.paced(in), plan.ciphertextLength()), null),
          in);
    }
    ResponseInputStream<GetObjectResponse> in = get(o, null);
    try {
      return switch (o.kind()) {
        case SINGLE, COMPRESSED -> closing(o.object().decrypt(throttle.paced(in)), in);
        case S3EC ->
            verifiedFirst
                ? closing(
                    o.s3ec()
                        .readVerified(
                            throttle.paced(in),
                            o.head().contentLength(),
                            0,
                            o.plaintextSize() - 1,
                            spoolLimit),
                    in)
                : closing(
                    o.s3ec().decryptDeferred(throttle.paced(in), o.head().contentLength()), in);
        case PLAINTEXT -> closing(throttle.paced(in), in);
        case MULTIPART -> throw new IllegalStateException();
      };
    } catch (IOException | CryptoException | RuntimeException e) {
      in.abort();
      throw e;
    }
  }

  /**
   * Reads an opened object to its end and checks it, keeping nothing: what {@code scrub} does.
   * Returns the stored bytes read.
   */
  public long verify(Opened o) throws IOException, CryptoException {
    if (o.kind() == Kind.S3EC) {
      try (ResponseInputStream<GetObjectResponse> in = get(o, null)) {
        o.s3ec().verify(throttle.paced(in), o.head().contentLength());
      }
      return o.head().contentLength();
    }
    try (InputStream plaintext = plaintext(o, false, 0)) {
      byte[] discard = new byte[64 * 1024];
      while (plaintext.read(discard) >= 0) {
        // every segment authenticates as it is read
      }
    }
    return o.head().contentLength();
  }

  /** Whether the index object of an opened multipart object exists (for telling why it failed). */
  public boolean indexExists(OpenedObject object, String bucket, String key) {
    try {
      backend.s3().headObject(h -> h.bucket(bucket).key(MultipartIndexes.nameOf(object, key)));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    }
  }

  /** Opens the object's metadata only (no index), for telling why {@link #open} failed. */
  public OpenedObject openMetadata(String bucket, String key, HeadObjectResponse head)
      throws CryptoException {
    return decryptor.open(bucket, key, head.metadata());
  }

  private ResponseInputStream<GetObjectResponse> get(Opened o, String range) {
    return backend
        .s3()
        .getObject(
            GetObjectRequest.builder()
                .bucket(o.bucket())
                .key(o.key())
                .ifMatch(o.head().eTag())
                .range(range)
                .build());
  }

  /** {@code plaintext}, whose close also closes {@code source}. */
  private static InputStream closing(InputStream plaintext, InputStream source) {
    return new FilterInputStream(plaintext) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          source.close();
        }
      }
    };
  }
}
