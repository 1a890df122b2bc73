package io.github.s3eg.keys.cosmian;

import static io.github.s3eg.keys.cosmian.CosmianClientTest.AAD;
import static io.github.s3eg.keys.cosmian.CosmianClientTest.HELLO;
import static io.github.s3eg.keys.cosmian.CosmianClientTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.CachingKeyManager;
import io.github.s3eg.keys.KekVersions;
import io.github.s3eg.keys.KeyManager.Health;
import io.github.s3eg.keys.KeyManagerException;
import io.github.s3eg.keys.KeyReference;
import io.github.s3eg.keys.WrappedKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CosmianKeyManager} against the replay server. The "DEK" is the 14-byte text of Cosmian's
 * published example so that the published Encrypt and Decrypt responses fit; real DEKs are 32 bytes
 * and take the same path.
 */
class CosmianKeyManagerTest {

  private CosmianReplayServer server;
  private CosmianClient client;
  private CosmianKeyManager manager;

  @BeforeEach
  void start() throws Exception {
    server = CosmianReplayServer.http();
    client =
        new CosmianClient(
            CosmianClientTest.config(server.baseUri().toString(), Duration.ofSeconds(2)));
    manager =
        new CosmianKeyManager(
            client,
            KekVersions.parse("old-key:1," + KEY + ":2", OptionalInt.empty(), 1),
            Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    manager.close();
    server.close();
  }

  @Test
  void wrapsAndUnwrapsUnderTheActiveKey() throws Exception {
    WrappedKey wrapped = manager.wrap(HELLO, AAD);

    assertThat(wrapped.kek()).isEqualTo(new KeyReference(KEY, 2));
    assertThat(HexFormat.of().withUpperCase().formatHex(wrapped.ciphertext()))
        .isEqualTo(
            "DBDD622A64F7D65E75894B1B"
                + "40D59A0735811135749A507FDEB3"
                + "50FCE680540BD3E96EFA9218A2F1009D");
    assertThat(manager.unwrap(wrapped, AAD)).isEqualTo(HELLO);
    assertThat(server.requests().get(1))
        .isEqualTo(Fixtures.compact(Fixtures.read("client-decrypt-request.json")));
    assertThat(manager.provider()).isEqualTo("cosmian");
    assertThat(manager.health()).isEqualTo(Health.up());
  }

  @Test
  void mapsHttpStatusesToTheContract() throws Exception {
    WrappedKey wrapped = manager.wrap(HELLO, AAD);

    server.forceStatus(422);
    assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class)
        .hasMessageContaining("HTTP 422");
    assertThatThrownBy(() -> manager.wrap(HELLO, AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class);
    server.forceStatus(500);
    assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
        .isInstanceOf(KeyManagerException.UnwrapFailed.class);
    assertThatThrownBy(() -> manager.wrap(HELLO, AAD))
        .isInstanceOf(KeyManagerException.Unavailable.class);
    server.forceStatus(503);
    assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
        .isInstanceOf(KeyManagerException.Unavailable.class);
    server.forceStatus(401);
    assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
        .isInstanceOf(KeyManagerException.Unavailable.class)
        .hasMessageContaining("credentials refused");
  }

  @Test
  void checksTheWindowBeforeCallingTheKms() {
    CosmianKeyManager narrow =
        new CosmianKeyManager(
            client,
            KekVersions.parse("old-key:1," + KEY + ":2", OptionalInt.empty(), 0),
            Duration.ofSeconds(1));
    assertThatThrownBy(
            () -> narrow.unwrap(new WrappedKey(new KeyReference("old-key", 1), new byte[44]), AAD))
        .isInstanceOf(KeyManagerException.KeyNotFound.class)
        .hasMessageContaining("version 1");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void anUnreachableKmsIsUnavailableAndUnhealthy() throws Exception {
    WrappedKey wrapped = manager.wrap(HELLO, AAD);
    server.close();
    assertThatThrownBy(() -> manager.unwrap(wrapped, AAD))
        .isInstanceOf(KeyManagerException.Unavailable.class)
        .hasMessage("Cosmian KMS unavailable: connection refused");
    assertThat(manager.health()).isEqualTo(Health.down("cosmian: connection refused"));
  }

  @Test
  void theCacheSavesRepeatedDecrypts() throws Exception {
    CachingKeyManager cached = new CachingKeyManager(manager, Duration.ofMinutes(1), 10);
    WrappedKey wrapped = cached.wrap(HELLO, AAD);
    for (int i = 0; i < 5; i++) {
      assertThat(cached.unwrap(wrapped, AAD)).isEqualTo(HELLO);
    }
    assertThat(client.requestCount()).isEqualTo(2);
  }
}
