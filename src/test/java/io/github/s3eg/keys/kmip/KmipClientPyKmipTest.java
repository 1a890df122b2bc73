package io.github.s3eg.keys.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.GcmCiphertext;
import io.github.s3eg.keys.ttlv.KmipEnums.CryptographicAlgorithm;
import io.github.s3eg.keys.ttlv.KmipEnums.KeyFormatType;
import io.github.s3eg.keys.ttlv.KmipEnums.ObjectType;
import io.github.s3eg.keys.ttlv.KmipEnums.Operation;
import io.github.s3eg.keys.ttlv.KmipEnums.ResultReason;
import io.github.s3eg.keys.ttlv.KmipEnums.RevocationReasonCode;
import io.github.s3eg.keys.ttlv.KmipEnums.State;
import io.github.s3eg.keys.ttlv.Tag;
import io.github.s3eg.keys.ttlv.Tags;
import io.github.s3eg.keys.ttlv.Ttlv;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link KmipClient} against a real PyKMIP server, in KMIP 1.4 and 2.0. */
@ExtendWith(PyKmipExtension.class)
class KmipClientPyKmipTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void negotiatesTheHighestCommonVersionAndAnswersQuery(PyKmipServer server) throws Exception {
    try (KmipClient client = new KmipClient(server.clientConfig())) {
      assertThat(client.discoverVersions(Duration.ofSeconds(5)))
          .containsExactly(KmipVersion.V2_0, KmipVersion.V1_4);
      assertThat(client.protocolVersion()).isEqualTo(KmipVersion.V2_0);
      KmipServerInfo info = client.query(Duration.ofSeconds(5));
      assertThat(info.vendorIdentification())
          .hasValueSatisfying(v -> assertThat(v).contains("PyKMIP"));
      assertThat(info.operations()).contains(Operation.ENCRYPT, Operation.DECRYPT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.4", "2.0"})
  void fullKeyLifecycle(String protocol, PyKmipServer server) throws Exception {
    KmipClientConfig config =
        server.clientConfig().withProtocolVersion(KmipVersion.parse(protocol));
    try (KmipClient client = new KmipClient(config)) {
      String name = "s3eg-test-" + UUID.randomUUID();
      String id = client.createAes256Key(name);
      assertThat(client.state(id)).isEqualTo(State.PRE_ACTIVE);
      assertThat(client.locateByName(name)).containsExactly(id);

      client.activate(id);
      assertThat(client.state(id)).isEqualTo(State.ACTIVE);

      byte[] dek = new byte[32];
      RANDOM.nextBytes(dek);
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      byte[] aad = "bucket/key|v1|AES256GCM".getBytes(StandardCharsets.UTF_8);
      GcmCiphertext sealed = client.encrypt(id, dek, iv, aad);
      assertThat(sealed.iv()).isEqualTo(iv);
      assertThat(sealed.ciphertext()).hasSize(32).isNotEqualTo(dek);
      assertThat(client.decrypt(id, sealed, aad)).isEqualTo(dek);

      byte[] wrongAad = "other/key|v1|AES256GCM".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> client.decrypt(id, sealed, wrongAad))
          .isInstanceOf(KmipException.OperationFailed.class);

      client.revoke(id, RevocationReasonCode.SUPERSEDED);
      assertThat(client.state(id)).isEqualTo(State.DEACTIVATED);
      assertThatThrownBy(() -> client.decrypt(id, sealed, aad))
          .isInstanceOfSatisfying(
              KmipException.OperationFailed.class,
              e -> assertThat(e.is(ResultReason.PERMISSION_DENIED)).isTrue());

      client.destroy(id);
      assertThatThrownBy(() -> client.state(id)).isInstanceOf(KmipException.OperationFailed.class);
    }
  }

  @Test
  void kmipGcmIsInteroperableWithTheJdk(PyKmipServer server) throws Exception {
    // Register a known key so the server's AES-GCM can be checked against the JDK's: a wrapped key
    // can then be opened offline by whoever exports the KEK (disaster recovery).
    KmipClientConfig config = server.clientConfig().withProtocolVersion(KmipVersion.V1_4);
    try (KmipClient client = new KmipClient(config)) {
      byte[] kek = new byte[32];
      RANDOM.nextBytes(kek);
      String id = register(client, kek);
      client.activate(id);
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      byte[] aad = "bucket/object".getBytes(StandardCharsets.UTF_8);
      byte[] dek = new byte[32];
      RANDOM.nextBytes(dek);

      GcmCiphertext fromServer = client.encrypt(id, dek, iv, aad);
      Cipher local = Cipher.getInstance("AES/GCM/NoPadding");
      local.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, iv));
      local.updateAAD(aad);
      byte[] sealed = fromServer.toBytes();
      assertThat(local.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(dek);

      byte[] iv2 = new byte[12];
      RANDOM.nextBytes(iv2);
      local.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, iv2));
      local.updateAAD(aad);
      byte[] localSealed = local.doFinal(dek);
      byte[] layout = new byte[12 + localSealed.length];
      System.arraycopy(iv2, 0, layout, 0, 12);
      System.arraycopy(localSealed, 0, layout, 12, localSealed.length);
      assertThat(client.decrypt(id, GcmCiphertext.fromBytes(layout), aad)).isEqualTo(dek);
    }
  }

  /** KMIP 1.4 Register of a raw AES-256 key usable for Encrypt and Decrypt. */
  private static String register(KmipClient client, byte[] key) throws Exception {
    Tag symmetricKey = Tags.forCode(0x42008F);
    Tag keyBlock = Tags.forCode(0x420040);
    Tag keyValue = Tags.forCode(0x420045);
    Tag keyMaterial = Tags.forCode(0x420043);
    Structure payload =
        Ttlv.structure(
            Tags.REQUEST_PAYLOAD,
            Ttlv.enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
            Ttlv.structure(
                Tags.TEMPLATE_ATTRIBUTE,
                Ttlv.structure(
                    Tags.ATTRIBUTE,
                    Ttlv.text(Tags.ATTRIBUTE_NAME, "Cryptographic Usage Mask"),
                    Ttlv.integer(Tags.ATTRIBUTE_VALUE, 0x04 | 0x08))),
            Ttlv.structure(
                symmetricKey,
                Ttlv.structure(
                    keyBlock,
                    Ttlv.enumeration(Tags.KEY_FORMAT_TYPE, KeyFormatType.RAW),
                    Ttlv.structure(keyValue, Ttlv.bytes(keyMaterial, key)),
                    Ttlv.enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm.AES),
                    Ttlv.integer(Tags.CRYPTOGRAPHIC_LENGTH, 256))));
    Structure response = client.execute(Operation.REGISTER, payload);
    return response.require(Tags.UNIQUE_IDENTIFIER, Ttlv.TextStringItem.class).value();
  }

  @Test
  void connectionsAreReused(PyKmipServer server) throws Exception {
    try (KmipClient client = new KmipClient(server.clientConfig())) {
      for (int i = 0; i < 5; i++) {
        client.discoverVersions(Duration.ofSeconds(5));
      }
      assertThat(client.requestCount()).isEqualTo(5);
    }
  }
}
