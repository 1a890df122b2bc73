package io.github.s3eg.s3.body;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.SigningContext;
import io.github.s3eg.s3.testing.TestChunkEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class AwsChunkedInputStreamTest {

  private static final String SECRET = "chunk-test-secret";
  private static final String TIMESTAMP = "20250102T030405Z";
  private static final String SCOPE = "20250102/eu-west-3/s3/aws4_request";
  private static final String SEED = "9f3a".repeat(16);

  private final SigningContext context = SigningContext.of(SECRET, SCOPE, TIMESTAMP, SEED);
  private final Random random = new Random(7);

  @Test
  void signedChunksDecodeWithAnyReadSize() throws Exception {
    byte[] data = randomBytes(3 * 8192 + 3);
    byte[] body = encoder().signedBody(TestChunkEncoder.split(data, 8192), List.of(), false);

    assertThat(readInRandomPieces(signed(body, data.length))).isEqualTo(data);
    assertThat(signed(body, data.length).readAllBytes()).isEqualTo(data);
  }

  @Test
  void singleByteReadsWork() throws Exception {
    byte[] data = randomBytes(100);
    InputStream in = signed(encoder().signedBody(List.of(data), List.of(), false), 100);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      out.write(b);
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void emptyBody() throws Exception {
    byte[] body = encoder().signedBody(List.of(), List.of(), false);
    assertThat(signed(body, 0).readAllBytes()).isEmpty();
  }

  @Test
  void wrongSignatureInTheMiddleStopsBeforeTheBadChunk() throws Exception {
    List<byte[]> chunks = TestChunkEncoder.split(randomBytes(5 * 1000), 1000);
    TestChunkEncoder encoder = encoder();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(encoder.signedChunk(chunks.get(0)));
    body.writeBytes(encoder.signedChunk(chunks.get(1)));
    byte[] third = encoder.signedChunk(chunks.get(2));
    String text = new String(third, StandardCharsets.ISO_8859_1);
    int sigAt = text.indexOf("chunk-signature=") + "chunk-signature=".length();
    third[sigAt] = (byte) (third[sigAt] == '0' ? '1' : '0');
    body.writeBytes(third);
    body.writeBytes(encoder.signedChunk(chunks.get(3)));

    InputStream in = signed(body.toByteArray(), 5000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = readUntilFailure(in, got);

    assertThat(BodyVerificationException.find(failure).orElseThrow().errorCode())
        .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertThat(got.toByteArray())
        .as("the two verified chunks, and not one byte of the bad one")
        .isEqualTo(concat(chunks.get(0), chunks.get(1)));
    assertThat(catchThrowable(in::read)).as("the failure is sticky").isSameAs(failure);
  }

  @Test
  void tamperedChunkDataIsDetected() throws Exception {
    byte[] data = randomBytes(4000);
    byte[] body = encoder().signedBody(TestChunkEncoder.split(data, 1000), List.of(), false);
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int secondData = text.indexOf("\r\n", text.indexOf("3e8;", 10)) + 2;
    body[secondData + 10] ^= 1;

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = readUntilFailure(signed(body, 4000), got);

    assertThat(BodyVerificationException.find(failure).orElseThrow().errorCode())
        .isEqualTo(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    assertThat(got.size()).isEqualTo(1000);
  }

  @Test
  void reorderedChunksBreakTheChain() {
    List<byte[]> chunks = TestChunkEncoder.split(randomBytes(3000), 1000);
    TestChunkEncoder encoder = encoder();
    byte[] c1 = encoder.signedChunk(chunks.get(0));
    byte[] c2 = encoder.signedChunk(chunks.get(1));
    byte[] c3 = encoder.signedChunk(chunks.get(2));
    byte[] end = concat(encoder.signedChunk(new byte[0]), crlf());

    assertS3Error(
        () -> signed(concat(c1, c3, c2, end), 3000).readAllBytes(),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void seedSignatureMatters() {
    byte[] data = randomBytes(10);
    byte[] body =
        new TestChunkEncoder(SECRET, TIMESTAMP, SCOPE, "00".repeat(32))
            .signedBody(List.of(data), List.of(), false);
    assertS3Error(() -> signed(body, 10).readAllBytes(), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void decodedLengthMustMatch() {
    byte[] data = randomBytes(3000);
    byte[] body = encoder().signedBody(TestChunkEncoder.split(data, 1000), List.of(), false);

    S3Exception shorter =
        assertS3Error(() -> signed(body, 3001).readAllBytes(), S3ErrorCode.INCOMPLETE_BODY);
    assertThat(shorter.getMessage()).contains("x-amz-decoded-content-length");
    assertS3Error(() -> signed(body, 2999).readAllBytes(), S3ErrorCode.INVALID_REQUEST);
  }

  @Test
  void aReaderThatStopsAtTheDeclaredLengthStillGetsTheFinalChecks() throws Exception {
    byte[] data = randomBytes(3000);
    byte[] body =
        TestChunkEncoder.unsignedBody(
            TestChunkEncoder.split(data, 1000), List.of("x-amz-checksum-crc32:AAAAAA=="));
    InputStream in = unsigned(body, 3000, ChecksumAlgorithm.CRC32);

    byte[] first = in.readNBytes(2000);
    assertThat(first).isEqualTo(java.util.Arrays.copyOf(data, 2000));
    assertS3Error(() -> in.readNBytes(1000), S3ErrorCode.BAD_DIGEST);
  }

  @Test
  void signedTrailerWithEachChecksumAlgorithm() throws Exception {
    byte[] data = randomBytes(70_000);
    for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
      String line = algorithm.headerName() + ":" + independentChecksum(algorithm, data);
      byte[] body = encoder().signedBody(TestChunkEncoder.split(data, 65536), List.of(line), true);

      InputStream in =
          new AwsChunkedInputStream(
              new ByteArrayInputStream(body),
              PayloadMode.STREAMING_SIGNED_TRAILER,
              context,
              data.length,
              algorithm);

      assertThat(in.readAllBytes()).as(algorithm.name()).isEqualTo(data);
    }
  }

  @Test
  void wrongTrailerChecksumIsBadDigestAndTheLastChunkIsWithheld() throws Exception {
    byte[] data = randomBytes(2500);
    String wrong =
        "x-amz-checksum-crc32:" + independentChecksum(ChecksumAlgorithm.CRC32, randomBytes(5));
    byte[] body = TestChunkEncoder.unsignedBody(TestChunkEncoder.split(data, 1000), List.of(wrong));

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    Throwable failure = readUntilFailure(unsigned(body, 2500, ChecksumAlgorithm.CRC32), got);

    S3Exception e = BodyVerificationException.find(failure).orElseThrow();
    assertThat(e.errorCode()).isEqualTo(S3ErrorCode.BAD_DIGEST);
    assertThat(e.getMessage()).contains("CRC32");
    assertThat(got.size()).isEqualTo(2000);
  }

  @Test
  void tamperedSignedTrailerIsSignatureDoesNotMatch() {
    byte[] data = randomBytes(100);
    TestChunkEncoder encoder = encoder();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(encoder.signedChunk(data));
    body.writeBytes(encoder.signedChunk(new byte[0]));
    String good = independentChecksum(ChecksumAlgorithm.CRC32, data);
    String signature = encoder.trailerSignature("x-amz-checksum-crc32:" + good + "\n");
    // A different checksum value under the signature of the right one.
    String forged = independentChecksum(ChecksumAlgorithm.CRC32, randomBytes(7));
    body.writeBytes(
        ("x-amz-checksum-crc32:" + forged + "\r\nx-amz-trailer-signature:" + signature + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));

    assertS3Error(
        () -> signedTrailer(body.toByteArray(), 100, ChecksumAlgorithm.CRC32).readAllBytes(),
        S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void trailerProblemsAreMalformedTrailerErrors() {
    byte[] data = randomBytes(100);
    String crc = "x-amz-checksum-crc32:" + independentChecksum(ChecksumAlgorithm.CRC32, data);
    String crc32c = "x-amz-checksum-crc32c:" + independentChecksum(ChecksumAlgorithm.CRC32C, data);

    // Declared checksum not sent.
    assertS3Error(
        () ->
            unsigned(
                    TestChunkEncoder.unsignedBody(List.of(data), List.of()),
                    100,
                    ChecksumAlgorithm.CRC32)
                .readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // A trailer that was not declared.
    assertS3Error(
        () ->
            unsigned(
                    TestChunkEncoder.unsignedBody(List.of(data), List.of(crc, crc32c)),
                    100,
                    ChecksumAlgorithm.CRC32)
                .readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Repeated.
    assertS3Error(
        () ->
            unsigned(
                    TestChunkEncoder.unsignedBody(List.of(data), List.of(crc, crc)),
                    100,
                    ChecksumAlgorithm.CRC32)
                .readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Not name:value.
    assertS3Error(
        () ->
            unsigned(
                    TestChunkEncoder.unsignedBody(List.of(data), List.of("garbage")),
                    100,
                    ChecksumAlgorithm.CRC32)
                .readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Trailers where the mode has none.
    byte[] withTrailer = encoder().signedBody(List.of(data), List.of(crc), false);
    assertS3Error(
        () -> signed(withTrailer, 100).readAllBytes(), S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Signed trailer mode without the trailer signature.
    byte[] unsignedTrailer = encoder().signedBody(List.of(data), List.of(crc), false);
    assertS3Error(
        () -> signedTrailer(unsignedTrailer, 100, ChecksumAlgorithm.CRC32).readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Too many lines.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add("x-amz-meta-" + i + ":v");
    }
    assertS3Error(
        () ->
            unsigned(TestChunkEncoder.unsignedBody(List.of(data), many), 100, null).readAllBytes(),
        S3ErrorCode.MALFORMED_TRAILER_ERROR);
    // Invalid base64 value.
    assertS3Error(
        () ->
            unsigned(
                    TestChunkEncoder.unsignedBody(
                        List.of(data), List.of("x-amz-checksum-crc32:!!")),
                    100,
                    ChecksumAlgorithm.CRC32)
                .readAllBytes(),
        S3ErrorCode.INVALID_REQUEST);
  }

  @Test
  void malformedFramingIsATypedError() {
    String sig = ";chunk-signature=" + "ab".repeat(32);
    record Case(String name, String body, S3ErrorCode code) {}
    List<Case> cases =
        List.of(
            new Case("bad hex", "zz" + sig + "\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("empty size", sig + "\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("negative size", "-1" + sig + "\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("size too long", "000000001" + sig + "\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("LF only", "3" + sig + "\nabc\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("CR without LF", "3" + sig + "\rabc", S3ErrorCode.INVALID_REQUEST),
            new Case("no CRLF after data", "3" + sig + "\r\nabcX\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("truncated data", "a" + sig + "\r\nabc", S3ErrorCode.INCOMPLETE_BODY),
            new Case("truncated header", "a;chunk-sig", S3ErrorCode.INCOMPLETE_BODY),
            new Case("nothing at all", "", S3ErrorCode.INCOMPLETE_BODY),
            new Case("no chunk-signature", "3\r\nabc\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case(
                "short signature", "3;chunk-signature=abc\r\nabc\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case("oversize chunk", "1000001" + sig + "\r\n", S3ErrorCode.INVALID_REQUEST),
            new Case(
                "oversize line", "3;" + "x".repeat(5000) + "\r\n", S3ErrorCode.INVALID_REQUEST));
    for (Case c : cases) {
      byte[] bytes = c.body().getBytes(StandardCharsets.ISO_8859_1);
      S3Exception e = assertS3Error(() -> signed(bytes, 100_000_000).readAllBytes(), c.code());
      assertThat(e.getMessage()).as(c.name()).isNotBlank();
    }
  }

  @Test
  void dataAfterTheEndIsRejected() {
    byte[] data = randomBytes(10);
    byte[] body = concat(encoder().signedBody(List.of(data), List.of(), false), "junk".getBytes());
    assertS3Error(() -> signed(body, 10).readAllBytes(), S3ErrorCode.INVALID_REQUEST);
  }

  @Test
  void endlessGarbageFailsFastInsteadOfBufferingForever() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'a';
          }
        };
    assertS3Error(
        () ->
            new AwsChunkedInputStream(endless, PayloadMode.STREAMING_SIGNED, context, 10, null)
                .readAllBytes(),
        S3ErrorCode.INVALID_REQUEST);
  }

  @Test
  void unsignedModeIgnoresAbsentSignatures() throws Exception {
    byte[] data = randomBytes(5000);
    String crc = "x-amz-checksum-crc32c:" + independentChecksum(ChecksumAlgorithm.CRC32C, data);
    byte[] body = TestChunkEncoder.unsignedBody(TestChunkEncoder.split(data, 2048), List.of(crc));
    assertThat(readInRandomPieces(unsigned(body, 5000, ChecksumAlgorithm.CRC32C))).isEqualTo(data);
  }

  @Test
  void streamsLargeBodiesInBoundedMemory() throws Exception {
    int chunkSize = 1 << 20;
    int chunks = 48;
    TestChunkEncoder encoder = encoder();
    byte[] pattern = randomBytes(chunkSize);
    Enumeration<InputStream> parts =
        new Enumeration<>() {
          int i;

          @Override
          public boolean hasMoreElements() {
            return i <= chunks;
          }

          @Override
          public InputStream nextElement() {
            byte[] framed =
                i < chunks
                    ? encoder.signedChunk(pattern)
                    : concat(encoder.signedChunk(new byte[0]), crlf());
            i++;
            return new ByteArrayInputStream(framed);
          }
        };
    InputStream in =
        new AwsChunkedInputStream(
            new SequenceInputStream(parts),
            PayloadMode.STREAMING_SIGNED,
            context,
            (long) chunkSize * chunks,
            null);

    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int n;
    while ((n = in.read(buffer)) >= 0) {
      sha.update(buffer, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo((long) chunkSize * chunks);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < chunks; i++) {
      expected.update(pattern);
    }
    assertThat(sha.digest()).isEqualTo(expected.digest());
  }

  @Test
  void closedStreamRefusesReads() throws Exception {
    InputStream in = signed(encoder().signedBody(List.of(randomBytes(5)), List.of(), false), 5);
    in.close();
    assertThat(catchThrowable(in::read)).isInstanceOf(IOException.class);
  }

  // --- helpers ---

  private TestChunkEncoder encoder() {
    return new TestChunkEncoder(SECRET, TIMESTAMP, SCOPE, SEED);
  }

  private InputStream signed(byte[] body, long decodedLength) {
    return new AwsChunkedInputStream(
        new ByteArrayInputStream(body), PayloadMode.STREAMING_SIGNED, context, decodedLength, null);
  }

  private InputStream signedTrailer(byte[] body, long decodedLength, ChecksumAlgorithm algorithm) {
    return new AwsChunkedInputStream(
        new ByteArrayInputStream(body),
        PayloadMode.STREAMING_SIGNED_TRAILER,
        context,
        decodedLength,
        algorithm);
  }

  private static InputStream unsigned(
      byte[] body, long decodedLength, ChecksumAlgorithm algorithm) {
    return new AwsChunkedInputStream(
        new ByteArrayInputStream(body),
        PayloadMode.STREAMING_UNSIGNED_TRAILER,
        null,
        decodedLength,
        algorithm);
  }

  private byte[] readInRandomPieces(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[20_000];
    int n;
    while ((n = in.read(buffer, 0, 1 + random.nextInt(buffer.length - 1))) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** Reads until the stream throws, collecting what it released before. */
  static Throwable readUntilFailure(InputStream in, ByteArrayOutputStream got) {
    return catchThrowable(
        () -> {
          byte[] buffer = new byte[777];
          int n;
          while ((n = in.read(buffer)) >= 0) {
            got.write(buffer, 0, n);
          }
        });
  }

  /** The checksum as S3 sends it, computed with the JDK (or Crc64Nvme for CRC64NVME). */
  static String independentChecksum(ChecksumAlgorithm algorithm, byte[] data) {
    byte[] value =
        switch (algorithm) {
          case CRC32 -> {
            CRC32 c = new CRC32();
            c.update(data);
            yield ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
          }
          case CRC32C -> {
            CRC32C c = new CRC32C();
            c.update(data);
            yield ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
          }
          case CRC64NVME -> {
            Crc64Nvme c = new Crc64Nvme();
            c.update(data, 0, data.length);
            yield ByteBuffer.allocate(8).putLong(c.getValue()).array();
          }
          case SHA1 -> digest("SHA-1", data);
          case SHA256 -> digest("SHA-256", data);
        };
    return Base64.getEncoder().encodeToString(value);
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] crlf() {
    return "\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
