package io.github.s3eg.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class KeyringKeyManagerTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] AAD = "bucket/key|v1".getBytes(StandardCharsets.UTF_8);
  private static final String K1 = randomKey();
  private static final String K2 = randomKey();
  private static final String K3 = randomKey();

  @TempDir Path dir;
  private Path file;
  private ListAppender<ILoggingEvent> logs;
  private Logger logger;

  @BeforeEach
  void captureLogs() {
    file = dir.resolve("keyring.json");
    logger = (Logger) LoggerFactory.getLogger(KeyringKeyManager.class);
    logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static String keyring(String extra, String... versionsAndKeys) {
    StringBuilder json = new StringBuilder("{").append(extra).append("\"keys\": [");
    for (int i = 0; i < versionsAndKeys.length; i += 2) {
      json.append(i == 0 ? "" : ",")
          .append("{\"version\": ")
          .append(versionsAndKeys[i])
          .append(", \"key\": \"")
          .append(versionsAndKeys[i + 1])
          .append("\"}");
    }
    return json.append("]}").toString();
  }

  /** Replaces the file atomically, as operators should (write a temporary file, then rename). */
  private void write(String content) throws IOException {
    Path temp = dir.resolve("keyring.json.tmp");
    Files.writeString(temp, content);
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private List<String> messages(Level level) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void wrapsWithStandardAesGcmUnderTheActiveVersion() throws Exception {
    write(keyring("\"id\": \"local\", ", "1", K1, "2", K2));
    try (KeyringKeyManager manager = new KeyringKeyManager(file, 1, Duration.ZERO)) {
      byte[] dek = new byte[32];
      RANDOM.nextBytes(dek);
      WrappedKey wrapped = manager.wrap(dek, AAD);

      assertThat(wrapped.kek()).isEqualTo(new KeyReference("local", 2));
      assertThat(manager.unwrap(wrapped, AAD)).isEqualTo(dek);
      byte[] sealed = wrapped.ciphertext();
      assertThat(sealed).hasSize(12 + 32 + 16);
      Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
      jdk.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(Base64.getDecoder().decode(K2), "AES"),
          new GCMParameterSpec(128, sealed, 0, 12));
      jdk.updateAAD(AAD);
      assertThat(jdk.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(dek);

      assertThatThrownBy(() -> manager.unwrap(wrapped, "other".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(KeyManagerException.UnwrapFailed.class);
      sealed[40] ^= 1;
      assertThatThrownBy(() -> manager.unwrap(new WrappedKey(wrapped.kek(), sealed), AAD))
          .isInstanceOf(KeyManagerException.UnwrapFailed.class);
      assertThatThrownBy(() -> manager.unwrap(new WrappedKey(wrapped.kek(), new byte[27]), AAD))
          .isInstanceOf(KeyManagerException.UnwrapFailed.class);
      assertThatThrownBy(
              () -> manager.unwrap(new WrappedKey(new KeyReference("local", 7), sealed), AAD))
          .isInstanceOf(KeyManagerException.KeyNotFound.class)
          .hasMessageContaining("version 7");
      assertThat(manager.owns(new KeyReference("local", 7))).isTrue();
      assertThat(manager.owns(new KeyReference("password", 1))).isFalse();
      assertThat(manager.health()).isEqualTo(KeyManager.Health.up());
    }
  }

  @Test
  void picksUpANewVersionAndAnActiveSwitchWithoutRestart() throws Exception {
    write(keyring("", "1", K1));
    try (KeyringKeyManager manager = new KeyringKeyManager(file, 1, Duration.ofMillis(50))) {
      byte[] dek = new byte[32];
      WrappedKey underV1 = manager.wrap(dek, AAD);
      assertThat(underV1.kek()).isEqualTo(new KeyReference("keyring", 1));

      write(keyring("", "1", K1, "2", K2));
      await().atMost(Duration.ofSeconds(30)).until(() -> manager.activeKey().version() == 2);
      assertThat(manager.wrap(dek, AAD).kek().version()).isEqualTo(2);
      assertThat(manager.unwrap(underV1, AAD)).isEqualTo(dek);

      write(keyring("\"active\": 1, ", "1", K1, "2", K2));
      await().atMost(Duration.ofSeconds(30)).until(() -> manager.activeKey().version() == 1);

      write(keyring("", "1", K1, "2", K2, "3", K3));
      await().atMost(Duration.ofSeconds(30)).until(() -> manager.activeKey().version() == 3);
      assertThatThrownBy(() -> manager.unwrap(underV1, AAD))
          .isInstanceOf(KeyManagerException.KeyNotFound.class)
          .hasMessageContaining("version 1 is outside the dual-read window");
      assertThat(messages(Level.INFO)).anyMatch(m -> m.contains("active version 3"));
    }
  }

  @Test
  void aBrokenFileKeepsTheOldKeyringAndLogsOneError() throws Exception {
    write(keyring("", "1", K1));
    try (KeyringKeyManager manager = new KeyringKeyManager(file, 1, Duration.ZERO)) {
      write(keyring("", "1", K1, "2", "not-base64!"));

      assertThat(manager.reloadIfChanged()).isFalse();
      assertThat(manager.reloadIfChanged()).isFalse();

      assertThat(manager.activeKey().version()).isEqualTo(1);
      assertThat(manager.wrap(new byte[32], AAD).kek().version()).isEqualTo(1);
      List<String> errors = messages(Level.ERROR);
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0))
          .contains("keys[1].key is not valid base64")
          .contains("keeping the previous keyring (active version 1)")
          .doesNotContain(K1);
      assertThat(manager.health().healthy()).isTrue();
      assertThat(manager.health().detail()).contains("invalid");

      write(keyring("", "1", K1, "2", K2));
      assertThat(manager.reloadIfChanged()).isTrue();
      assertThat(manager.activeKey().version()).isEqualTo(2);
      assertThat(manager.health()).isEqualTo(KeyManager.Health.up());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"keys\": []}|'keys' must be a non-empty array",
        "{\"keys\": [{\"version\": 1, \"key\": \"AAAA\"}]}|keys[0].key must decode to 32 bytes",
        "{\"keys\": [{\"version\": -1, \"key\": \"AAAA\"}]}|keys[0].version must be a non-negative",
        "{\"keys\": [{\"version\": 1}]}|keys[0].key must be a base64 string",
        "{\"keys\": [{\"version\": 1, \"key\": \"K1\", \"note\": 1}]}|unknown field in keys[0]",
        "{\"kes\": []}|unknown field in top level",
        "{\"active\": 5, \"keys\": [{\"version\": 1, \"key\": \"K1\"}]}|active version 5",
        "{\"keys\": [{\"version\": 1, \"key\": \"K1\"}, {\"version\": 1, \"key\": \"K1\"}]}|listed"
            + " twice",
        "{\"id\": \"a:b\", \"keys\": [{\"version\": 1, \"key\": \"K1\"}]}|'id'",
        "{\"keys\": [], \"keys\": []}|not valid JSON",
        "// comment|not valid JSON",
        "[]|top level must be a JSON object",
      })
  void rejectsInvalidFilesWithAClearMessage(String content, String expected) throws Exception {
    write(content.replace("K1", K1));
    assertThatThrownBy(() -> new KeyringKeyManager(file, 1, Duration.ZERO))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(expected)
        .hasMessageNotContaining(K1);
  }

  @Test
  void warnsWhenTheFileIsReadableByOthers() throws Exception {
    write(keyring("", "1", K1));
    new KeyringKeyManager(file, 1, Duration.ZERO).close();
    assertThat(messages(Level.WARN)).isEmpty();

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    new KeyringKeyManager(file, 1, Duration.ZERO).close();
    assertThat(messages(Level.WARN))
        .singleElement()
        .asString()
        .contains("rw-r--r--")
        .contains("chmod 600");
  }
}
