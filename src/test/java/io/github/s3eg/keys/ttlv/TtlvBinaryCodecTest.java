package io.github.s3eg.keys.ttlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtlvBinaryCodecTest {

  private static final Tag T = Tags.forCode(0x420020);
  private final TtlvBinaryCodec codec = new TtlvBinaryCodec();

  /** The encoding examples of the KMIP 1.4 specification, section 9.1.2. */
  @Test
  void encodesTheSpecificationExamples() throws Exception {
    assertEncodes(Ttlv.integer(T, 8), "420020 02 00000004 0000000800000000");
    assertEncodes(Ttlv.longInteger(T, 123456789000000000L), "420020 03 00000008 01B69B4BA5749200");
    assertEncodes(
        Ttlv.bigInteger(T, new BigInteger("1234567890000000000000000000")),
        "420020 04 00000010 0000000003FD35EB6BC2DF4618080000");
    assertEncodes(Ttlv.enumeration(T, 255), "420020 05 00000004 000000FF00000000");
    assertEncodes(Ttlv.bool(T, true), "420020 06 00000008 0000000000000001");
    assertEncodes(
        Ttlv.text(T, "Hello World"), "420020 07 0000000B 48656C6C6F20576F726C640000000000");
    assertEncodes(Ttlv.bytes(T, new byte[] {1, 2, 3}), "420020 08 00000003 0102030000000000");
    assertEncodes(Ttlv.dateTime(T, 0x47DA67F8L), "420020 09 00000008 0000000047DA67F8");
    assertEncodes(Ttlv.interval(T, 864000), "420020 0A 00000004 000D2F0000000000");
    assertEncodes(
        Ttlv.structure(
            T,
            Ttlv.enumeration(Tags.forCode(0x420004), 254),
            Ttlv.integer(Tags.forCode(0x420005), 255)),
        "420020 01 00000020 420004 05 00000004 000000FE00000000"
            + " 420005 02 00000004 000000FF00000000");
  }

  @Test
  void negativeBigIntegersAreSignExtended() throws Exception {
    assertEncodes(
        Ttlv.bigInteger(T, BigInteger.valueOf(-1)), "420020 04 00000008 FFFFFFFFFFFFFFFF");
  }

  @Test
  void roundTripsARequestMessage() throws Exception {
    Structure message =
        Ttlv.structure(
            Tags.REQUEST_MESSAGE,
            Ttlv.structure(
                Tags.REQUEST_HEADER,
                Ttlv.structure(
                    Tags.PROTOCOL_VERSION,
                    Ttlv.integer(Tags.PROTOCOL_VERSION_MAJOR, 1),
                    Ttlv.integer(Tags.PROTOCOL_VERSION_MINOR, 4)),
                Ttlv.integer(Tags.BATCH_COUNT, 1)),
            Ttlv.structure(
                Tags.BATCH_ITEM,
                Ttlv.enumeration(Tags.OPERATION, Operation.ENCRYPT),
                Ttlv.structure(
                    Tags.REQUEST_PAYLOAD,
                    Ttlv.text(Tags.UNIQUE_IDENTIFIER, "42 é"),
                    Ttlv.bytes(Tags.DATA, new byte[33]),
                    Ttlv.bool(Tags.RANDOM_IV, false),
                    Ttlv.longInteger(Tags.forCode(0x54ABCD), -5),
                    Ttlv.bigInteger(
                        Tags.forCode(0x420006), new BigInteger("-123456789012345678901")),
                    Ttlv.dateTime(Tags.TIME_STAMP, -1),
                    Ttlv.interval(Tags.forCode(0x420049), 0xFFFF_FFFFL))));
    byte[] encoded = codec.encode(message);
    assertThat(encoded.length % 8).isZero();
    assertThat(codec.messageLength(encoded)).isEqualTo(encoded.length);
    assertThat(codec.decode(encoded)).isEqualTo(message);
  }

  @Test
  void jsonOnlyTagsHaveNoBinaryForm() {
    assertThatThrownBy(() -> codec.encode(Ttlv.structure(Tags.COSMIAN_ENCRYPT)))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("no binary");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "420020 02 0000", // truncated header
        "420020 02 00000004 00000008", // truncated value
        "420020 02 00000008 0000000800000000", // Integer must have length 4
        "420020 06 00000004 0000000100000000", // Boolean must have length 8
        "420020 02 00000004 0000000800000001", // non-zero padding
        "420020 06 00000008 0000000000000002", // Boolean other than 0 or 1
        "420020 07 00000002 C328000000000000", // invalid UTF-8
        "420020 0C 00000008 0000000000000000", // unknown type
        "430020 02 00000004 0000000800000000", // not a KMIP tag
        "420020 02 00000004 0000000800000000 00", // trailing bytes
        "420020 04 00000003 0102030000000000", // BigInteger length not a multiple of 8
        "420020 01 00000004 0000000000000000", // structure length not a multiple of 8
        "420020 01 00000008 420020 02 00000004 0000000800000000", // child overruns parent
        "420020 08 FFFFFFF8 0000000000000000", // length beyond the input
        "420020 01 00000008 420020 02 00000004", // truncated child header
      })
  void rejectsMalformedInput(String hex) {
    assertThatThrownBy(() -> codec.decode(bytes(hex))).isInstanceOf(TtlvException.class);
  }

  @Test
  void rejectsNestingBeyondTheLimit() throws Exception {
    TtlvBinaryCodec shallow = new TtlvBinaryCodec(new TtlvLimits(3, 1 << 20));
    Ttlv deep = Ttlv.structure(T, Ttlv.structure(T, Ttlv.structure(T, Ttlv.structure(T))));
    byte[] encoded = codec.encode(deep);
    assertThatThrownBy(() -> shallow.decode(encoded))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("nesting");
    assertThatThrownBy(() -> shallow.encode(deep)).isInstanceOf(TtlvException.class);
  }

  @Test
  void rejectsMessagesBeyondTheSizeLimit() throws Exception {
    TtlvBinaryCodec small = new TtlvBinaryCodec(new TtlvLimits(8, 64));
    byte[] big = codec.encode(Ttlv.bytes(T, new byte[100]));
    assertThatThrownBy(() -> small.decode(big)).isInstanceOf(TtlvException.class);
    assertThatThrownBy(() -> small.messageLength(bytes("420078 01 00001000")))
        .isInstanceOf(TtlvException.class);
    assertThatThrownBy(() -> small.encode(Ttlv.bytes(T, new byte[100])))
        .isInstanceOf(TtlvException.class);
  }

  @Test
  void messageLengthOnlyAcceptsStructures() {
    assertThatThrownBy(() -> codec.messageLength(bytes("420078 02 00000004")))
        .isInstanceOf(TtlvException.class);
    assertThatThrownBy(() -> codec.messageLength(bytes("420078 01 00000004")))
        .isInstanceOf(TtlvException.class);
  }

  /** A smoke fuzz: mutated and random inputs only ever yield a tree or a TtlvException. */
  @Test
  void survivesMutatedInput() throws Exception {
    Random random = new Random(20240613);
    byte[] valid =
        codec.encode(
            Ttlv.structure(
                Tags.RESPONSE_MESSAGE,
                Ttlv.structure(Tags.RESPONSE_HEADER, Ttlv.integer(Tags.BATCH_COUNT, 1)),
                Ttlv.structure(
                    Tags.BATCH_ITEM,
                    Ttlv.text(Tags.UNIQUE_IDENTIFIER, "abc"),
                    Ttlv.bytes(Tags.DATA, new byte[17]))));
    for (int i = 0; i < 20_000; i++) {
      byte[] input = i % 4 == 0 ? randomBytes(random, random.nextInt(64)) : mutate(valid, random);
      try {
        codec.decode(input);
      } catch (TtlvException expected) {
        // rejected input is the point
      }
    }
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] copy = valid.clone();
    int flips = 1 + random.nextInt(4);
    for (int j = 0; j < flips; j++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return random.nextBoolean() ? copy : java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private void assertEncodes(Ttlv item, String hex) throws TtlvException {
    byte[] expected = bytes(hex);
    assertThat(HexFormat.of().withUpperCase().formatHex(codec.encode(item)))
        .isEqualTo(HexFormat.of().withUpperCase().formatHex(expected));
    assertThat(codec.decode(expected)).isEqualTo(item);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  @Test
  void structureAccessorsCheckTypes() throws Exception {
    Structure s = Ttlv.structure(T, Ttlv.integer(Tags.BATCH_COUNT, 2), Ttlv.text(Tags.DATA, "x"));
    assertThat(s.require(Tags.BATCH_COUNT, Ttlv.IntegerItem.class).value()).isEqualTo(2);
    assertThat(s.optional(Tags.STATE, Ttlv.EnumerationItem.class)).isEmpty();
    assertThat(s.all(Tags.DATA)).hasSize(1);
    assertThatThrownBy(() -> s.require(Tags.DATA, Ttlv.ByteStringItem.class))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("TextString");
    assertThatThrownBy(() -> s.require(Tags.STATE, Ttlv.EnumerationItem.class))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("missing");
    assertThat(Ttlv.bytes(Tags.DATA, new byte[] {7, 7}).toString())
        .isEqualTo("ByteStringItem[Data(0x4200C2), 2 bytes]");
  }
}
