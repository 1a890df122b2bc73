package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors for multipart objects (docs/object-format.md §12): two parts under a fixed DEK and
 * fixed headers, and their index (the same bytes in format versions 3 and 4), and the metadata and
 * index name of a version 4 upload. A change to part or index bytes that would break stored
 * multipart objects fails here. Inputs are {@code SHA-256("s3eg-kat-v2/<field>")}, plaintext byte
 * {@code i} is {@code i mod 251}, segments are 64 bytes.
 */
class MultipartKnownAnswerTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] input(String field, int length) throws Exception {
    byte[] h =
        MessageDigest.getInstance("SHA-256")
            .digest(("s3eg-kat-v2/" + field).getBytes(StandardCharsets.US_ASCII));
    return Arrays.copyOf(h, length);
  }

  private static byte[] plaintext(int size) {
    byte[] p = new byte[size];
    for (int i = 0; i < size; i++) {
      p[i] = (byte) (i % 251);
    }
    return p;
  }

  private static byte[] part(SegmentedAead aead, int number, int size, String headerField)
      throws Exception {
    StreamHeader header =
        new StreamHeader(input(headerField + "/salt", 32), input(headerField + "/nonce", 7));
    byte[] body =
        aead.newEncryptingStream(
                new ByteArrayInputStream(plaintext(size)),
                header,
                ObjectFormat.partBodyAssociatedData(number, size),
                new PlaintextDigests(EnumSet.noneOf(PlaintextChecksum.class)))
            .readAllBytes();
    byte[] out = new byte[MultipartLayout.PART_PREFIX_LENGTH + body.length];
    System.arraycopy(MultipartLayout.partPrefix(number, size), 0, out, 0, 12);
    System.arraycopy(body, 0, out, 12, body.length);
    return out;
  }

  private static String sha256(byte[] b) throws Exception {
    return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void partsAndIndexAreByteForBytePinned() throws Exception {
    SegmentLayout layout = SegmentLayout.of(64);
    byte[] dek = input("dek", 32);
    SegmentedAead aes = new SegmentedAead(Algorithm.AES256_GCM, layout, dek);
    SegmentedAead chacha = new SegmentedAead(Algorithm.CHACHA20_POLY1305, layout, dek);

    byte[] p1 = part(aes, 1, 128, "part1");
    byte[] p3 = part(aes, 3, 25, "part3");
    byte[] c1 = part(chacha, 1, 128, "part1");
    assertThat(p1).hasSize((int) MultipartLayout.partCiphertextSize(layout, 128));
    assertThat(sha256(p1)).isEqualTo(PART1_AES);
    assertThat(sha256(p3)).isEqualTo(PART3_AES);
    assertThat(sha256(c1)).isEqualTo(PART1_CHACHA);
    // The first segment of part 1, in full, as a readable anchor.
    assertThat(HEX.formatHex(Arrays.copyOfRange(p1, 0, 12 + 40 + 24 + 16)))
        .isEqualTo(PART1_AES_HEAD);

    StreamHeader upload = new StreamHeader(input("upload/salt", 32), input("upload/nonce", 7));
    MultipartIndex index =
        new MultipartIndex(
            upload,
            input("etag", 16),
            List.of(new MultipartIndex.Part(1, 128), new MultipartIndex.Part(3, 25)),
            layout);
    byte[] sealed = index.seal(MultipartIndex.macKey(dek), "kat-bucket", "vectors/multipart");
    assertThat(HEX.formatHex(sealed)).isEqualTo(INDEX);
    assertThat(MultipartIndex.partCountOfEncodedSize(sealed.length)).isEqualTo(2);
    assertThat(index.etag()).isEqualTo(HEX.formatHex(input("etag", 16)) + "-2");
  }

  /**
   * A version 4 upload begun with fixed randomness (DEK, upload header, wrap nonce) under the
   * static KEK of the single-object vectors: its wrap associated data (version byte 4), metadata
   * entries and index name. The same upload as version 3 differs only in the version byte (and so
   * in the wrapped key), and keeps its index at the key's one name.
   */
  @Test
  void version4UploadMetadataAndIndexNameArePinned() throws Exception {
    SegmentLayout layout = SegmentLayout.of(64);
    String bucket = "kat-bucket";
    String key = "vectors/multipart";
    Map<String, String> v4 = begin(4, layout, bucket, key);
    Map<String, String> v3 = begin(3, layout, bucket, key);
    StreamHeader upload = new StreamHeader(input("upload/salt", 32), input("upload/nonce", 7));

    byte[] ad4 =
        ObjectBinding.wrapAssociatedData(
            4, Algorithm.AES256_GCM, layout, upload, null, bucket, key);
    byte[] ad3 =
        ObjectBinding.wrapAssociatedData(
            3, Algorithm.AES256_GCM, layout, upload, null, bucket, key);
    assertThat(HEX.formatHex(ad4)).isEqualTo(V4_WRAP_AD);
    assertThat(ad3[9]).isEqualTo((byte) 3);
    assertThat(Arrays.copyOfRange(ad3, 10, ad3.length))
        .isEqualTo(Arrays.copyOfRange(ad4, 10, ad4.length));

    assertThat(v4)
        .containsEntry("s3eg-v", "4")
        .containsEntry("s3eg-alg", "AES256-GCM")
        .containsEntry("s3eg-seg", "64")
        .containsEntry("s3eg-hdr", java.util.Base64.getEncoder().encodeToString(upload.encode()))
        .containsEntry("s3eg-kek", "static-kat:1")
        .containsEntry("s3eg-dek", V4_WRAPPED_DEK)
        .hasSize(6);
    assertThat(v3).containsEntry("s3eg-v", "3").doesNotContainEntry("s3eg-dek", V4_WRAPPED_DEK);

    assertThat(io.github.s3eg.backend.ReservedKeys.index(key, upload.encode()))
        .isEqualTo(V4_INDEX_NAME);
    assertThat(io.github.s3eg.backend.ReservedKeys.index(key)).isEqualTo(V3_INDEX_NAME);

    // The version 4 upload opens, and its index (the vector above) verifies for it.
    OpenedObject opened =
        new ObjectDecryptor(
                io.github.s3eg.keys.TestKeyManagers.staticKek(
                    KnownAnswerVectors.kek(),
                    KnownAnswerVectors.KEK_REFERENCE,
                    new java.security.SecureRandom()))
            .open(bucket, key, v4);
    MultipartIndex index = opened.openIndex(HEX.parseHex(INDEX), bucket, key);
    assertThat(index.parts()).hasSize(2);
  }

  private static Map<String, String> begin(
      int version, SegmentLayout layout, String bucket, String key) throws Exception {
    FixedRandom objectRandom =
        new FixedRandom(input("dek", 32), input("upload/salt", 32), input("upload/nonce", 7));
    FixedRandom wrapRandom = new FixedRandom(input("upload/wrap-nonce", 12));
    ObjectEncryptor encryptor =
        new ObjectEncryptor(
            io.github.s3eg.keys.TestKeyManagers.staticKek(
                KnownAnswerVectors.kek(), KnownAnswerVectors.KEK_REFERENCE, wrapRandom),
            Algorithm.AES256_GCM,
            layout,
            objectRandom);
    Map<String, String> m = encryptor.beginMultipart(bucket, key, version).toMap();
    assertThat(objectRandom.exhausted() && wrapRandom.exhausted()).isTrue();
    return m;
  }

  static final String V4_WRAP_AD =
      "733365672f77726170040a4145533235362d47434d0000004028a5e3ee96c61551ce62eebbb2ecd0d4cb2e7a9881a47509674458f5e58ecfbe672c79e93ccd3265000a6b61742d6275636b657400000011766563746f72732f6d756c746970617274";
  static final String V4_WRAPPED_DEK =
      "g0iH7zzA/WVhdiRFaZ1ENsP/chykrdPAdozgKP0aeKPqDMvxicwxT+k/JTinrUUfXp79yAHm7QT673An";
  static final String V4_INDEX_NAME =
      ".s3eg/index/d14bfbff4aec4a4c5c6506ec3c3e1e1c23cb7aec67cec03b762b2e9f6832991b.ec5249641d47ac59db28491347965046";
  static final String V3_INDEX_NAME =
      ".s3eg/index/d14bfbff4aec4a4c5c6506ec3c3e1e1c23cb7aec67cec03b762b2e9f6832991b";

  static final String PART1_AES =
      "e1b81eed75f76bea7acd5f63f5b5d4419989cb6b989b57956cfe5a2a3dcaea92";
  static final String PART3_AES =
      "561c50d44c234a2891ba3bb455fe44012f25d077bfb05ceaea604e49d5718347";
  static final String PART1_CHACHA =
      "f38e97ae5f2fe15c6e827b3a26fdcb2a796dc302ff8046202be1bd53e8b5420d";
  static final String PART1_AES_HEAD =
      "0000000100000000000000802824c68ca3d0ffcc6280ab41caae9a2baf314a61da1b168c4b774cf29e9d805b892ea763e9b9de744f14d24daff5b0379936a16ef0fbe4a3e82d58f5198ecb053c0715d28dbe9d38c89d24a4c9585bc2";
  static final String INDEX =
      "0228a5e3ee96c61551ce62eebbb2ecd0d4cb2e7a9881a47509674458f5e58ecfbe672c79e93ccd32656b8640afb0b55acd6cfe6664b9c6e649000000020000000100000000000000800000000300000000000000198ce63a6dd67c234ca99548ffb738d86e6cd8d6bfb1c5a5b69811bdb3d89ff52a";
}
