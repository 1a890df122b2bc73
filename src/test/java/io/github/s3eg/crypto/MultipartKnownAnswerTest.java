package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors for format version 3 (docs/object-format.md §11): two parts under a fixed DEK and
 * fixed headers, and their index. A change to part or index bytes that would break stored multipart
 * objects fails here. Inputs are {@code SHA-256("s3eg-kat-v2/<field>")}, plaintext byte {@code i}
 * is {@code i mod 251}, segments are 64 bytes.
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
