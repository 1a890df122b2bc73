package io.github.s3eg.s3.body;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.s3eg.s3.auth.PayloadMode;
import io.github.s3eg.s3.auth.SigningContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Fuzzes the aws-chunked decoder with arbitrary bodies in every streaming mode: it yields exactly
 * the declared decoded length or fails with a {@link BodyVerificationException}; anything else
 * (runtime exceptions, reading past the declared length, hanging) is a bug.
 *
 * <p>Input layout: byte 0 picks the mode, the trailer checksum and whether chunk signatures are
 * checked; bytes 1–2 are the declared decoded length (big-endian); the rest is the body. Without a
 * signing context (authentication off) the signed modes decode their framing without checking
 * signatures, which lets the fuzzer reach past the first chunk.
 */
class AwsChunkedDecoderFuzzTest {

  private static final PayloadMode[] MODES = {
    PayloadMode.STREAMING_SIGNED,
    PayloadMode.STREAMING_SIGNED_TRAILER,
    PayloadMode.STREAMING_UNSIGNED_TRAILER
  };

  private static final SigningContext SIGNING =
      SigningContext.of(
          "fuzz-secret",
          "20250102/eu-west-3/s3/aws4_request",
          "20250102T030405Z",
          "9f3a".repeat(16));

  @FuzzTest(maxDuration = "4s")
  void anyBodyDecodesToTheDeclaredLengthOrFailsTyped(byte[] input) {
    if (input.length < 3) {
      return;
    }
    int control = input[0] & 0xFF;
    PayloadMode mode = MODES[control % MODES.length];
    ChecksumAlgorithm[] checksums = ChecksumAlgorithm.values();
    ChecksumAlgorithm trailer =
        mode.hasTrailer() && (control & 0x10) != 0
            ? checksums[(control >>> 5) % checksums.length]
            : null;
    boolean verifySignatures = mode.hasChunkSignatures() && (control & 0x08) != 0;
    long decodedLength = ((input[1] & 0xFF) << 8) | (input[2] & 0xFF);
    InputStream raw = new ByteArrayInputStream(Arrays.copyOfRange(input, 3, input.length));
    AwsChunkedInputStream decoder =
        new AwsChunkedInputStream(
            raw, mode, verifySignatures ? SIGNING : null, decodedLength, trailer);
    long total = 0;
    byte[] buffer = new byte[7 + (control & 0x3F)];
    try {
      for (int n; (n = decoder.read(buffer, 0, buffer.length)) >= 0; ) {
        total += n;
        if (total > decodedLength) {
          throw new AssertionError("released " + total + " bytes of " + decodedLength);
        }
      }
    } catch (BodyVerificationException expected) {
      return;
    } catch (IOException e) {
      throw new AssertionError("untyped IOException", e);
    }
    if (total != decodedLength) {
      throw new AssertionError("ended after " + total + " of " + decodedLength + " bytes");
    }
  }
}
