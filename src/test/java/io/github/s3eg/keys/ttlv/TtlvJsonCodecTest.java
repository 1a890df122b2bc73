package io.github.s3eg.keys.ttlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.ttlv.KmipEnums.BlockCipherMode;
import io.github.s3eg.keys.ttlv.KmipEnums.State;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TtlvJsonCodecTest {

  private final TtlvJsonCodec codec = new TtlvJsonCodec();

  @Test
  void writesEveryTypeTheWayCosmianDoes() throws Exception {
    Structure item =
        Ttlv.structure(
            Tags.COSMIAN_ENCRYPT,
            Ttlv.integer(Tags.CRYPTOGRAPHIC_LENGTH, 256),
            Ttlv.longInteger(Tags.forCode(0x54ABCD), 255),
            Ttlv.bigInteger(Tags.forCode(0x420006), BigInteger.valueOf(-2)),
            Ttlv.enumeration(Tags.BLOCK_CIPHER_MODE, BlockCipherMode.GCM),
            Ttlv.enumeration(Tags.ATTRIBUTE_VALUE, 7),
            Ttlv.bool(Tags.RANDOM_IV, true),
            Ttlv.text(Tags.UNIQUE_IDENTIFIER, "id\"1"),
            Ttlv.bytes(Tags.DATA, new byte[] {0x0a, (byte) 0xff}),
            Ttlv.dateTime(Tags.TIME_STAMP, 1_700_000_000L),
            Ttlv.interval(Tags.forCode(0x420049), 10));
    String json = new String(codec.encode(item), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"tag\":\"Encrypt\",\"type\":\"Structure\",\"value\":["
                + "{\"tag\":\"CryptographicLength\",\"type\":\"Integer\",\"value\":256},"
                + "{\"tag\":\"0x54ABCD\",\"type\":\"LongInteger\",\"value\":\"0x00000000000000FF\"},"
                + "{\"tag\":\"0x420006\",\"type\":\"BigInteger\",\"value\":\"0xFFFFFFFFFFFFFFFE\"},"
                + "{\"tag\":\"BlockCipherMode\",\"type\":\"Enumeration\",\"value\":\"GCM\"},"
                + "{\"tag\":\"AttributeValue\",\"type\":\"Enumeration\",\"value\":\"0x00000007\"},"
                + "{\"tag\":\"RandomIV\",\"type\":\"Boolean\",\"value\":true},"
                + "{\"tag\":\"UniqueIdentifier\",\"type\":\"TextString\",\"value\":\"id\\\"1\"},"
                + "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"0AFF\"},"
                + "{\"tag\":\"TimeStamp\",\"type\":\"DateTime\",\"value\":\"2023-11-14T22:13:20Z\"},"
                + "{\"tag\":\"0x420049\",\"type\":\"Interval\",\"value\":10}]}");
    assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(item);
  }

  @Test
  void acceptsTheAlternativeSpellingsCosmianMaySend() throws Exception {
    String json =
        """
        {"tag": "Attributes", "value": [
          {"tag": "CryptographicLength", "type": "Integer", "value": "0x00000100"},
          {"tag": "0x42008D", "type": "Enumeration", "value": "0x00000002"},
          {"type": "LongInteger", "value": 7, "tag": "0x54ABCD"},
          {"tag": "IvCounterNonce", "type": "ByteString", "value": "0a0b"},
          {"tag": "TimeStamp", "type": "DateTime", "value": "2024-09-13T13:39:20.001395+00:00"}
        ]}
        """;
    Structure item = (Structure) codec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(item.tag()).isEqualTo(Tags.ATTRIBUTES);
    assertThat(item.require(Tags.CRYPTOGRAPHIC_LENGTH, Ttlv.IntegerItem.class).value())
        .isEqualTo(256);
    assertThat(item.require(Tags.STATE, Ttlv.EnumerationItem.class).is(State.ACTIVE)).isTrue();
    assertThat(item.require(Tags.IV_COUNTER_NONCE, Ttlv.ByteStringItem.class).value())
        .containsExactly(0x0a, 0x0b);
    assertThat(item.require(Tags.TIME_STAMP, Ttlv.DateTimeItem.class).epochSeconds())
        .isEqualTo(1726234760L);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"00\"} {}",
        "{\"tag\":\"Data\",\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"00\"}",
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"00\",\"extra\":1}",
        "{\"type\":\"ByteString\",\"value\":\"00\"}",
        "{\"tag\":\"Data\",\"type\":\"ByteString\"}",
        "{\"tag\":\"NoSuchTag\",\"type\":\"ByteString\",\"value\":\"00\"}",
        "{\"tag\":\"0x430000\",\"type\":\"ByteString\",\"value\":\"00\"}",
        "{\"tag\":\"Data\",\"type\":\"Bytes\",\"value\":\"00\"}",
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"0\"}",
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"zz\"}",
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":0}",
        "{\"tag\":\"Data\",\"value\":\"00\"}",
        "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":1.5}",
        "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":2147483648}",
        "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":\"0x1\"}",
        "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":\"0xGGGGGGGG\"}",
        "{\"tag\":\"BatchCount\",\"type\":\"Interval\",\"value\":-1}",
        "{\"tag\":\"State\",\"type\":\"Enumeration\",\"value\":\"Sleeping\"}",
        "{\"tag\":\"State\",\"type\":\"Enumeration\",\"value\":2}",
        "{\"tag\":\"RandomIV\",\"type\":\"Boolean\",\"value\":\"true\"}",
        "{\"tag\":\"TimeStamp\",\"type\":\"DateTime\",\"value\":\"yesterday\"}",
        "{\"tag\":\"0x420006\",\"type\":\"BigInteger\",\"value\":\"12\"}",
        "{\"tag\":\"Attributes\",\"type\":\"Structure\",\"value\":{}}",
        "{\"tag\":\"Attributes\",\"type\":\"Structure\",\"value\":[1]}",
        "// comment\n{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"00\"}",
      })
  void rejectsMalformedJson(String json) {
    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TtlvException.class);
  }

  @Test
  void boundsNestingAndSize() {
    String deep = "{\"tag\":\"Attributes\",\"value\":[".repeat(40) + "]}".repeat(40);
    assertThatThrownBy(() -> codec.decode(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TtlvException.class);
    TtlvJsonCodec small = new TtlvJsonCodec(new TtlvLimits(4, 64));
    String big = "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"" + "00".repeat(64) + "\"}";
    assertThatThrownBy(() -> small.decode(big.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TtlvException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void survivesMutatedInput() throws Exception {
    byte[] valid =
        codec.encode(
            Ttlv.structure(
                Tags.COSMIAN_DECRYPT_RESPONSE,
                Ttlv.text(Tags.UNIQUE_IDENTIFIER, "abc"),
                Ttlv.bytes(Tags.DATA, new byte[8]),
                Ttlv.integer(Tags.CRYPTOGRAPHIC_LENGTH, 1)));
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] input = valid.clone();
      input[random.nextInt(input.length)] = (byte) (32 + random.nextInt(95));
      try {
        codec.decode(input);
      } catch (TtlvException expected) {
        // rejected input is the point
      }
    }
  }
}
