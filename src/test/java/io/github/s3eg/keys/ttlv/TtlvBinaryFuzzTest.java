package io.github.s3eg.keys.ttlv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the binary TTLV decoder, which reads what a KMIP server (or anything posing as one) sends:
 * any bytes decode to an item or fail with {@link TtlvException}. A decoded item must encode again,
 * and its encoding must be a fixed point (decode, encode gives the same bytes).
 */
class TtlvBinaryFuzzTest {

  private static final TtlvBinaryCodec CODEC = new TtlvBinaryCodec();

  @FuzzTest(maxDuration = "4s")
  void anyBytesDecodeOrFailTyped(byte[] input) {
    Ttlv item;
    try {
      CODEC.messageLength(Arrays.copyOf(input, Math.min(input.length, 8)));
    } catch (TtlvException expected) {
      // a header the connection would refuse
    }
    try {
      item = CODEC.decode(input);
    } catch (TtlvException expected) {
      return;
    }
    try {
      byte[] encoded = CODEC.encode(item);
      byte[] again = CODEC.encode(CODEC.decode(encoded));
      if (!Arrays.equals(encoded, again)) {
        throw new AssertionError("re-encoding a decoded item is not stable");
      }
    } catch (TtlvException e) {
      throw new AssertionError("a decoded item does not encode again", e);
    }
  }
}
