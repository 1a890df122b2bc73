package io.github.s3eg.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.crypto.EncryptionSession;
import io.github.s3eg.crypto.ObjectDecryptor;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.multipart.MultipartState;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@link CiphertextLocator} and {@link Decryption} without Camel and without a backend: the locator
 * says which reads an object needs, the test answers them from bytes in memory, and the decrypted
 * bytes are exactly the plaintext asked for.
 */
class CiphertextLocatorTest {

  private static final String BUCKET = "b";
  private static final String KEY = "k";

  private final StaticKeyManager keys = new StaticKeyManager(new byte[32]);
  private final ObjectEncryptor encryptor = new ObjectEncryptor(keys);
  private final ObjectDecryptor decryptor = new ObjectDecryptor(keys);
  private final byte[] plaintext = random(300_000);
  private final List<ResponseInputStream<?>> released = new ArrayList<>();

  private byte[] ciphertext;
  private Map<String, String> metadata;

  private void store() throws Exception {
    EncryptionSession session = encryptor.begin(BUCKET, KEY);
    ciphertext = session.encrypt(new ByteArrayInputStream(plaintext)).readAllBytes();
    metadata = new java.util.LinkedHashMap<>(session.metadata());
    metadata.putAll(session.sealedTrailerMetadata());
  }

  @Test
  void aWholeReadNeedsNothingMore() throws Exception {
    store();
    CiphertextLocator locator = locator(get(null), null, false);
    assertThat(locator.next()).isNull();
    assertThat(decrypt(locator)).isEqualTo(plaintext);
  }

  @Test
  void aRangeInsideThePlannedWindowNeedsNothingMore() throws Exception {
    store();
    CiphertextLocator locator = locator(get(null), "bytes=70000-70099", true);
    assertThat(locator.next()).isNull();
    assertThat(decrypt(locator)).isEqualTo(Arrays.copyOfRange(plaintext, 70000, 70100));
  }

  @Test
  void aRangeOutsideThePlannedWindowIsReadAgainAndThePlannedReadReleased() throws Exception {
    store();
    ResponseInputStream<GetObjectResponse> planned = get("bytes=0-99");
    CiphertextLocator locator = locator(planned, "bytes=200000-200099", true);
    GetObjectRequest next = locator.next();
    assertThat(next).isNotNull();
    assertThat(next.range()).startsWith("bytes=");
    assertThat(released).contains(planned);
    locator.accept(get(next.range()));
    assertThat(locator.next()).isNull();
    assertThat(decrypt(locator)).isEqualTo(Arrays.copyOfRange(plaintext, 200000, 200100));
  }

  @Test
  void aHeadIsDescribedWithThePlaintextSize() throws Exception {
    store();
    HeadObjectResponse head =
        HeadObjectResponse.builder()
            .metadata(metadata)
            .contentLength((long) ciphertext.length)
            .eTag("\"backend\"")
            .build();
    StoredObject stored = StoredObject.of(BUCKET, KEY, head);
    CiphertextLocator locator =
        new CiphertextLocator(
            key(), stored, null, false, new MultipartState(null), released::add, false);
    assertThat(locator.located())
        .isInstanceOfSatisfying(
            CiphertextLocator.Located.Described.class,
            d -> assertThat(d.plaintextSize()).isEqualTo(plaintext.length));
  }

  @Test
  void aTamperedFirstSegmentFailsBeforeAnyByteIsServed() throws Exception {
    store();
    ciphertext[100] ^= 1;
    CiphertextLocator locator = locator(get(null), null, false);
    assertThatThrownBy(() -> decrypt(locator)).isNotNull();
  }

  @Test
  void anAnswerWithoutAPendingReadIsAnError() throws Exception {
    store();
    CiphertextLocator locator = locator(get(null), null, false);
    assertThatThrownBy(() -> locator.accept(get(null))).isInstanceOf(IllegalStateException.class);
  }

  // ---- helpers

  private ObjectKey key() throws Exception {
    return ObjectKey.resolve(decryptor, false, BUCKET, KEY, metadata);
  }

  private CiphertextLocator locator(
      ResponseInputStream<GetObjectResponse> first, String range, boolean planned)
      throws Exception {
    return new CiphertextLocator(
        key(),
        StoredObject.of(BUCKET, KEY, first),
        range,
        planned,
        new MultipartState(null),
        released::add,
        false);
  }

  private byte[] decrypt(CiphertextLocator locator) throws Exception {
    AuthenticatedPlaintext body = Decryption.decrypt(key(), locator.located(), released::add);
    byte[] bytes = body.stream().readAllBytes();
    assertThat(bytes).hasSize((int) body.length());
    return bytes;
  }

  /**
   * The backend's answer to a GET of {@code range} ({@code bytes=a-b}) of the stored ciphertext.
   */
  private ResponseInputStream<GetObjectResponse> get(String range) {
    int from = 0;
    int to = ciphertext.length - 1;
    GetObjectResponse.Builder r = GetObjectResponse.builder().metadata(metadata).eTag("\"e\"");
    if (range != null) {
      String[] ab = range.substring("bytes=".length()).split("-");
      from = Integer.parseInt(ab[0]);
      to = ab.length > 1 ? Math.min(to, Integer.parseInt(ab[1])) : to;
      r.contentRange("bytes " + from + "-" + to + "/" + ciphertext.length);
    }
    byte[] window = Arrays.copyOfRange(ciphertext, from, to + 1);
    return new ResponseInputStream<>(
        r.contentLength((long) window.length).build(),
        AbortableInputStream.create(new ByteArrayInputStream(window)));
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }
}
