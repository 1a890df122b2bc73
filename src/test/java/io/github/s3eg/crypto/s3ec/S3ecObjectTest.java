package io.github.s3eg.crypto.s3ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.KeyringKeyManager;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.encryption.s3.S3EncryptionClient;

/**
 * Objects written by the real S3 Encryption Client (4.0.1, both metadata formats, with and without
 * instruction files) decrypt with the gateway's S3EC reader and a keyring holding the same AES key;
 * every way of altering them is refused.
 */
class S3ecObjectTest {

  static TestBackend backend;
  static S3Client direct;
  @TempDir static Path dir;
  static S3ecKeys keys;

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    direct = backend.directClient();
    direct.createBucket(b -> b.bucket("s3ec"));
    keys = S3ecKeyring.keys(dir);
  }

  static final Map<String, S3EncryptionClient> CLIENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  @AfterAll
  static void stop() throws Exception {
    CLIENTS.values().forEach(S3EncryptionClient::close);
    direct.close();
    backend.close();
  }

  static byte[] plaintext(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /**
   * Writes {@code data} with the S3EC and returns the stored body, metadata and instruction file.
   */
  static Stored write(S3ecWriter.Format format, boolean instructionFile, String key, byte[] data)
      throws Exception {
    S3EncryptionClient c =
        CLIENTS.computeIfAbsent(
            format + "/" + instructionFile,
            k -> S3ecWriter.client(backend, S3ecKeyring.S3EC_KEY, format, instructionFile));
    c.putObject(b -> b.bucket("s3ec").key(key), RequestBody.fromBytes(data));
    var object = direct.getObjectAsBytes(b -> b.bucket("s3ec").key(key));
    Optional<Map<String, String>> instructions = Optional.empty();
    if (instructionFile) {
      String json =
          direct
              .getObjectAsBytes(b -> b.bucket("s3ec").key(key + S3ecMetadata.INSTRUCTION_SUFFIX))
              .asUtf8String();
      instructions = Optional.of(S3ecInstructionFile.parse(json.getBytes(StandardCharsets.UTF_8)));
    }
    return new Stored(object.asByteArray(), object.response().metadata(), instructions);
  }

  record Stored(
      byte[] body, Map<String, String> metadata, Optional<Map<String, String>> instructions) {
    S3ecObject open() throws CryptoException {
      return keys.open(S3ecMetadata.parse(metadata, instructions));
    }
  }

  @ParameterizedTest
  @EnumSource(S3ecWriter.Format.class)
  void decryptsWholeAndByRangesAtEverySize(S3ecWriter.Format format) throws Exception {
    for (int size : new int[] {0, 1, 15, 16, 17, 100_003}) {
      byte[] data = plaintext(size);
      Stored s = write(format, false, format + "/" + size, data);
      assertThat(S3ecMetadata.shapeOf(s.metadata())).isEqualTo(S3ecMetadata.Shape.COMPLETE);
      S3ecObject o = s.open();
      assertThat(o.format().name()).isEqualTo(format.name());
      assertThat(o.kek()).isEqualTo(S3ecKeyring.S3EC_REFERENCE);
      assertThat(o.plaintextSize(s.body().length)).isEqualTo(size);
      assertThat(
              o.decryptDeferred(new ByteArrayInputStream(s.body()), s.body().length).readAllBytes())
          .isEqualTo(data);
      long[][] ranges =
          size == 0
              ? new long[][] {{0, -1}}
              : new long[][] {{0, size - 1}, {0, 0}, {size - 1, size - 1}, {size / 3, size / 2}};
      for (long[] r : ranges) {
        for (long memory : new long[] {0, 1 << 20}) {
          try (InputStream in =
              o.readVerified(
                  new ByteArrayInputStream(s.body()), s.body().length, r[0], r[1], memory)) {
            assertThat(in.readAllBytes())
                .as("%s bytes %d-%d", size, r[0], r[1])
                .isEqualTo(Arrays.copyOfRange(data, (int) r[0], (int) r[1] + 1));
          }
        }
      }
    }
  }

  /** Single-byte reads and skips pass every byte through the tag, so both still verify. */
  @Test
  void singleByteReadsAndSkipsStillCheckTheTag() throws Exception {
    byte[] data = plaintext(70_000);
    Stored s = write(S3ecWriter.Format.V2, false, "bytewise", data);
    S3ecObject o = s.open();
    try (InputStream in = o.decryptDeferred(new ByteArrayInputStream(s.body()), s.body().length)) {
      assertThat(in.read()).isEqualTo(data[0] & 0xff);
      assertThat(in.skip(40_000)).isEqualTo(40_000);
      assertThat(in.read()).isEqualTo(data[40_001] & 0xff);
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 40_002, data.length));
      assertThat(in.read()).isEqualTo(-1);
    }
    byte[] flipped = s.body().clone();
    flipped[20_000] ^= 1;
    assertThatThrownBy(
            () -> {
              try (InputStream in =
                  o.decryptDeferred(new ByteArrayInputStream(flipped), flipped.length)) {
                in.skip(60_000);
                while (in.read() >= 0) {
                  // the tag is checked at the end
                }
              }
            })
        .satisfies(
            e ->
                assertThat(CryptoException.of(e))
                    .get()
                    .isInstanceOf(CryptoException.TamperedSegment.class));
  }

  @ParameterizedTest
  @EnumSource(S3ecWriter.Format.class)
  void readsMetadataFromInstructionFiles(S3ecWriter.Format format) throws Exception {
    byte[] data = plaintext(5000);
    Stored s = write(format, true, "with-instructions-" + format, data);
    assertThat(S3ecMetadata.shapeOf(s.metadata()))
        .isEqualTo(
            format == S3ecWriter.Format.V2
                ? S3ecMetadata.Shape.NONE
                : S3ecMetadata.Shape.NEEDS_INSTRUCTION_FILE);
    S3ecObject o = s.open();
    assertThat(
            o.decryptDeferred(new ByteArrayInputStream(s.body()), s.body().length).readAllBytes())
        .isEqualTo(data);
    assertThat(
            S3ecMetadata.isInstructionFile(
                direct
                    .headObject(
                        b -> b.bucket("s3ec").key("with-instructions-" + format + ".instruction"))
                    .metadata()))
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(S3ecWriter.Format.class)
  void refusesEveryAlteration(S3ecWriter.Format format) throws Exception {
    byte[] data = plaintext(70_000);
    Stored s = write(format, false, "tamper-" + format, data);

    byte[] flipped = s.body().clone();
    flipped[12_345] ^= 1;
    assertTampered(s.open(), flipped, CryptoException.TamperedSegment.class);
    byte[] tagFlipped = s.body().clone();
    tagFlipped[tagFlipped.length - 1] ^= 1;
    assertTampered(s.open(), tagFlipped, CryptoException.TamperedSegment.class);
    byte[] cut = Arrays.copyOf(s.body(), s.body().length - 1000);
    assertTampered(s.open(), cut, CryptoException.TamperedSegment.class);
    byte[] longer = Arrays.copyOf(s.body(), s.body().length + 5);
    assertTampered(s.open(), longer, CryptoException.TamperedSegment.class);

    // Another data key (the wrapped key of another object) under this object's metadata.
    Stored other = write(format, false, "other-" + format, plaintext(10));
    Map<String, String> swapped = new HashMap<>(s.metadata());
    String keyEntry = format == S3ecWriter.Format.V2 ? "x-amz-key-v2" : "x-amz-3";
    swapped.put(keyEntry, other.metadata().get(keyEntry));
    if (format == S3ecWriter.Format.V3) {
      // The commitment binds the data key to the object's message id.
      assertThatThrownBy(() -> keys.open(S3ecMetadata.parse(swapped, Optional.empty())))
          .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
      Map<String, String> commitment = new HashMap<>(s.metadata());
      byte[] d = Base64.getDecoder().decode(commitment.get("x-amz-d"));
      d[0] ^= 1;
      commitment.put("x-amz-d", Base64.getEncoder().encodeToString(d));
      assertThatThrownBy(() -> keys.open(S3ecMetadata.parse(commitment, Optional.empty())))
          .isInstanceOf(CryptoException.MetadataAuthenticationFailed.class);
    } else {
      S3ecObject wrongKey = keys.open(S3ecMetadata.parse(swapped, Optional.empty()));
      assertTampered(wrongKey, s.body(), CryptoException.TamperedSegment.class);
      Map<String, String> iv = new HashMap<>(s.metadata());
      byte[] ivBytes = Base64.getDecoder().decode(iv.get("x-amz-iv"));
      ivBytes[3] ^= 1;
      iv.put("x-amz-iv", Base64.getEncoder().encodeToString(ivBytes));
      assertTampered(
          keys.open(S3ecMetadata.parse(iv, Optional.empty())),
          s.body(),
          CryptoException.TamperedSegment.class);
      // A downgrade to unauthenticated content is never attempted.
      Map<String, String> cbc = new HashMap<>(s.metadata());
      cbc.put("x-amz-cek-alg", "AES/CBC/PKCS5Padding");
      assertThatThrownBy(() -> S3ecMetadata.parse(cbc, Optional.empty()))
          .isInstanceOf(CryptoException.UnsupportedAlgorithm.class);
    }
    Map<String, String> wrapped = new HashMap<>(s.metadata());
    byte[] edk = Base64.getDecoder().decode(wrapped.get(keyEntry));
    edk[20] ^= 1;
    wrapped.put(keyEntry, Base64.getEncoder().encodeToString(edk));
    assertThatThrownBy(() -> keys.open(S3ecMetadata.parse(wrapped, Optional.empty())))
        .isInstanceOf(CryptoException.UnknownKey.class);
    Map<String, String> kms = new HashMap<>(s.metadata());
    if (format == S3ecWriter.Format.V2) {
      kms.put("x-amz-wrap-alg", "kms+context");
    } else {
      kms.put("x-amz-w", "12");
    }
    assertThatThrownBy(() -> S3ecMetadata.parse(kms, Optional.empty()))
        .isInstanceOf(CryptoException.UnsupportedAlgorithm.class)
        .hasMessageContaining("kms+context");
  }

  private static void assertTampered(
      S3ecObject o, byte[] body, Class<? extends CryptoException> expected) throws Exception {
    assertThatThrownBy(
            () -> o.decryptDeferred(new ByteArrayInputStream(body), body.length).readAllBytes())
        .satisfies(e -> assertThat(CryptoException.of(e)).get().isInstanceOf(expected));
    assertThatThrownBy(
            () ->
                o.readVerified(new ByteArrayInputStream(body), body.length, 0, 9, 1 << 20)
                    .readAllBytes())
        .satisfies(e -> assertThat(CryptoException.of(e)).get().isInstanceOf(expected));
  }

  @Test
  void unknownKeyIsNamedAsSuch() throws Exception {
    Stored s = write(S3ecWriter.Format.V3, false, "unknown-key", plaintext(10));
    S3ecKeys others =
        new S3ecKeys(
            new KeyringKeyManager(S3ecKeyring.write(dir), 0, Duration.ZERO),
            List.of(new KeyReference("keyring", 1)));
    assertThatThrownBy(() -> others.open(S3ecMetadata.parse(s.metadata(), Optional.empty())))
        .isInstanceOf(CryptoException.UnknownKey.class)
        .hasMessageContaining("ENCRYPTION_S3EC_KEYS");
  }
}
