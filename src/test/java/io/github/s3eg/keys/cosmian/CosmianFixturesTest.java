package io.github.s3eg.keys.cosmian;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.TtlvJsonCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON codec against Cosmian's published JSON TTLV examples: parse, model, serialize. */
class CosmianFixturesTest {

  private final TtlvJsonCodec codec = new TtlvJsonCodec();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "create-request.json",
        "create-response.json",
        "encrypt-request.json",
        "encrypt-response.json",
        "decrypt-response.json",
        "client-create-request.json",
        "client-encrypt-request.json",
        "client-decrypt-request.json",
      })
  void roundTripsExactly(String fixture) throws Exception {
    String json = Fixtures.read(fixture);
    Ttlv model = codec.decode(json.getBytes(StandardCharsets.UTF_8));
    String written = new String(codec.encode(model), StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(Fixtures.compact(json));
    String pretty = new String(codec.encode(model, true), StandardCharsets.UTF_8);
    assertThat(Fixtures.compact(pretty)).isEqualTo(Fixtures.compact(json));
  }

  /** The published Decrypt example spells the IV tag IvCounterNonce; we write IVCounterNonce. */
  @Test
  void normalisesTheAlternativeIvTagSpelling() throws Exception {
    String json = Fixtures.read("decrypt-request.json");
    Ttlv model = codec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(((Ttlv.Structure) model).optional(Tags.IV_COUNTER_NONCE, Ttlv.ByteStringItem.class))
        .isPresent();
    String written = new String(codec.encode(model), StandardCharsets.UTF_8);
    assertThat(written)
        .isEqualTo(Fixtures.compact(json).replace("\"IvCounterNonce\"", "\"IVCounterNonce\""));
  }
}
