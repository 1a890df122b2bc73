package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.StaticKeyManager;
import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed vectors pin format v1: recomputing them with the same fixed randomness must give
 * the same bytes, and the committed objects must still decrypt. A change that would make stored
 * objects unreadable fails here.
 */
class KnownAnswerVectorTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, Map<String, String>> COMMITTED =
      VectorFile.readResource(KnownAnswerVectors.RESOURCE);

  static Stream<KnownAnswerVectors.Definition> definitions() {
    return KnownAnswerVectors.definitions().stream();
  }

  @Test
  void theFileHoldsExactlyTheDefinedVectors() {
    assertThat(COMMITTED.keySet())
        .containsExactlyElementsOf(
            KnownAnswerVectors.definitions().stream()
                .map(KnownAnswerVectors.Definition::name)
                .toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void recomputingGivesTheCommittedBytes(KnownAnswerVectors.Definition d) throws Exception {
    Map<String, String> committed = COMMITTED.get(d.name());
    assertThat(KnownAnswerVectors.compute(d)).containsExactlyEntriesOf(committed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void committedObjectsStillDecrypt(KnownAnswerVectors.Definition d) throws Exception {
    Map<String, String> v = COMMITTED.get(d.name());
    Map<String, String> metadata = new LinkedHashMap<>();
    v.forEach(
        (field, value) -> {
          if (field.startsWith("meta.")) {
            metadata.put(field.substring("meta.".length()), value);
          }
        });
    StaticKeyManager keys =
        new StaticKeyManager(
            HEX.parseHex(v.get("kek")), KeyReference.decode(v.get("kek-reference")));
    OpenedObject object = new ObjectDecryptor(keys).open(v.get("bucket"), v.get("key"), metadata);
    byte[] plaintext = KnownAnswerVectors.plaintext(d);
    assertThat(object.authenticatedPlaintextSize()).hasValue(plaintext.length);
    assertThat(object.plaintextEtag()).hasValue(md5Hex(plaintext));

    if (v.containsKey("body")) {
      byte[] body = HEX.parseHex(v.get("body"));
      assertThat(HEX.formatHex(plaintext)).isEqualTo(v.get("plaintext"));
      assertThat(Streams.readAll(object.decrypt(new ByteArrayInputStream(body))))
          .isEqualTo(plaintext);
      assertThat(object.plaintextSize(body.length)).isEqualTo(plaintext.length);
      if (plaintext.length > 0) {
        CiphertextRange r = object.suffixRange(1, plaintext.length);
        byte[] fetched = Streams.slice(body, r.ciphertextFirst(), r.ciphertextLast());
        assertThat(Streams.readAll(object.decryptRange(new ByteArrayInputStream(fetched), r)))
            .containsExactly(plaintext[plaintext.length - 1]);
      }
    } else {
      assertThat(Long.parseLong(v.get("body-size")))
          .isEqualTo(object.layout().ciphertextSize(plaintext.length));
    }
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HEX.formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
  }
}
