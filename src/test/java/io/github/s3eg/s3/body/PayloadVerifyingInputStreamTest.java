package io.github.s3eg.s3.body;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PayloadVerifyingInputStreamTest {

  private static final byte[] DATA =
      "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

  @Test
  void matchingBodyPassesEveryCheck() throws Exception {
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      PayloadExpectations expected =
          PayloadExpectations.length(DATA.length)
              .withSha256Hex(sha256Hex(DATA))
              .withMd5(md5(DATA))
              .withChecksum(algorithm, checksum(algorithm, DATA));

      assertThat(verify(DATA, expected).readAllBytes()).as(algorithm.name()).isEqualTo(DATA);
    }
  }

  @Test
  void sha256MismatchIsXAmzContentSha256Mismatch() {
    byte[] tampered = DATA.clone();
    tampered[3] ^= 1;
    S3Exception e =
        assertS3Error(
            () ->
                verify(
                        tampered,
                        PayloadExpectations.length(DATA.length).withSha256Hex(sha256Hex(DATA)))
                    .readAllBytes(),
            S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
    assertThat(e.extraElements())
        .containsEntry("ClientComputedContentSHA256", sha256Hex(DATA))
        .containsEntry("S3ComputedContentSHA256", sha256Hex(tampered));
  }

  @Test
  void md5MismatchIsBadDigest() {
    byte[] tampered = DATA.clone();
    tampered[0] ^= 1;
    assertS3Error(
        () -> verify(tampered, PayloadExpectations.length(-1).withMd5(md5(DATA))).readAllBytes(),
        S3ErrorCode.BAD_DIGEST);
  }

  @Test
  void checksumHeaderMismatchIsBadDigest() {
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      byte[] other = "something else".getBytes(StandardCharsets.US_ASCII);
      S3Exception e =
          assertS3Error(
              () ->
                  verify(
                          DATA,
                          PayloadExpectations.length(-1)
                              .withChecksum(algorithm, checksum(algorithm, other)))
                      .readAllBytes(),
              S3ErrorCode.BAD_DIGEST);
      assertThat(e.getMessage()).contains(algorithm.name());
    }
  }

  @Test
  void shortOrLongBodiesAreIncomplete() {
    assertS3Error(
        () -> verify(DATA, PayloadExpectations.length(DATA.length + 1)).readAllBytes(),
        S3ErrorCode.INCOMPLETE_BODY);
    assertS3Error(
        () -> verify(DATA, PayloadExpectations.length(DATA.length - 1)).readAllBytes(),
        S3ErrorCode.INCOMPLETE_BODY);
  }

  @Test
  void theReadReturningTheLastBytesFailsSoAReaderThatStopsAtLengthStillSeesIt() throws Exception {
    byte[] tampered = DATA.clone();
    tampered[DATA.length - 1] ^= 1;
    InputStream in = verify(tampered, PayloadExpectations.length(DATA.length).withMd5(md5(DATA)));

    byte[] head = in.readNBytes(10);
    assertThat(head).hasSize(10);
    Throwable failure = catchThrowable(() -> in.readNBytes(DATA.length - 10));
    assertThat(BodyVerificationException.find(failure).orElseThrow().errorCode())
        .isEqualTo(S3ErrorCode.BAD_DIGEST);
    assertThat(catchThrowable(in::read)).as("sticky").isSameAs(failure);
  }

  @Test
  void skippedBytesAreStillVerified() throws Exception {
    byte[] tampered = DATA.clone();
    tampered[5] ^= 1;
    InputStream in =
        verify(tampered, PayloadExpectations.length(DATA.length).withSha256Hex(sha256Hex(DATA)));
    assertS3Error(() -> in.skip(DATA.length), S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
  }

  @Test
  void emptyBodyAgainstTheEmptyHash() throws Exception {
    InputStream in =
        verify(
            new byte[0],
            PayloadExpectations.length(0)
                .withSha256Hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void findRecoversTheS3ErrorFromWrappers() {
    BodyVerificationException inner =
        new BodyVerificationException(new S3Exception(S3ErrorCode.BAD_DIGEST, "x"));
    RuntimeException wrapped =
        new RuntimeException("camel", new UncheckedIOException(new IOException("sdk", inner)));
    assertThat(BodyVerificationException.find(wrapped)).containsSame(inner.s3Exception());
    assertThat(BodyVerificationException.find(new IOException("plain"))).isEmpty();

    IOException suppressed = new IOException("close failed");
    suppressed.addSuppressed(inner);
    assertThat(BodyVerificationException.find(suppressed)).containsSame(inner.s3Exception());
  }

  @Test
  void expectationsValidateTheirInputs() {
    assertThat(catchThrowable(() -> new PayloadExpectations(-2, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> PayloadExpectations.length(1).withMd5(new byte[3])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PayloadExpectations.length(-1).isEmpty()).isTrue();
  }

  private static InputStream verify(byte[] body, PayloadExpectations expected) {
    return new PayloadVerifyingInputStream(new ByteArrayInputStream(body), expected);
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] checksum(ChecksumAlgorithm algorithm, byte[] data) {
    return Base64.getDecoder()
        .decode(AwsChunkedInputStreamTest.independentChecksum(algorithm, data));
  }
}
