package io.github.s3eg.keys.ttlv;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the JSON TTLV decoder (Cosmian KMS answers): any bytes decode to an item or fail with
 * {@link TtlvException}. A decoded item must encode again, and its encoding must be a fixed point.
 */
class TtlvJsonFuzzTest {

  private static final TtlvJsonCodec CODEC = new TtlvJsonCodec();

  @FuzzTest(maxDuration = "4s")
  @DictionaryEntries({
    "{\"tag\":",
    "\"type\":",
    "\"value\":",
    "\"Structure\"",
    "\"Integer\"",
    "\"LongInteger\"",
    "\"BigInteger\"",
    "\"Enumeration\"",
    "\"Boolean\"",
    "\"TextString\"",
    "\"ByteString\"",
    "\"DateTime\"",
    "\"Interval\"",
    "\"ResponseMessage\"",
    "\"0x420078\"",
    "[]",
    "\"0x\""
  })
  void anyBytesDecodeOrFailTyped(byte[] input) {
    Ttlv item;
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
