package io.github.s3eg.keysetup;

import io.github.s3eg.config.BackendConfig;
import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.EncryptionConfig;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerConfigException;
import io.github.s3eg.keys.KeyManagerFactory;
import io.github.s3eg.keys.PasswordKeyManager;
import io.github.s3eg.keys.StaticKeyManager;
import io.github.s3eg.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's key manager from the configuration:
 *
 * <ul>
 *   <li>{@code KEY_MANAGER_ENABLED=true}: the configured provider (kmip, cosmian, keyring), with
 *       the password manager as read fallback when {@code ENCRYPTION_PASSWORD} is also set;
 *   <li>{@code ENCRYPTION_PASSWORD}: the password KEK, derived once here at start-up;
 *   <li>neither, with the embedded backend: a random KEK generated at first start into {@value
 *       #GENERATED_KEY_FILE} under the data directory (mode 0600), so the quick start encrypts;
 *   <li>neither, with a real backend: start-up fails — the gateway never stores plaintext, and a
 *       key that lives only in one container's data directory would be lost with it.
 * </ul>
 */
public final class KeySetup {

  private static final Logger LOG = LoggerFactory.getLogger(KeySetup.class);

  public static final String GENERATED_KEY_FILE = "gateway-kek.b64";

  private KeySetup() {}

  public static KeyManager create(EncryptionConfig config, BackendConfig backend) {
    PasswordKeyManager password = null;
    if (config.password().isPresent()) {
      char[] secret = config.password().get().clone();
      try {
        password =
            config.passwordSalt().isPresent()
                ? new PasswordKeyManager(secret, config.passwordSalt().get())
                : new PasswordKeyManager(secret);
      } finally {
        Arrays.fill(secret, '\0');
      }
    }
    if (config.keyManagerEnabled()) {
      PasswordKeyManager fallback = password;
      try {
        return KeyManagerFactory.create(config.keyManagerSettings(), () -> fallback);
      } catch (KeyManagerConfigException e) {
        throw new ConfigurationException(e.setting(), e.getMessage());
      }
    }
    if (password != null) {
      return password;
    }
    if (backend.embedded()) {
      Path file = backend.dataDir().resolve(GENERATED_KEY_FILE);
      LOG.warn(
          "No ENCRYPTION_PASSWORD or key manager configured: objects are encrypted under the generated key in {}"
              + " (back it up: without it the data cannot be read)",
          file.toAbsolutePath());
      return new StaticKeyManager(loadOrGenerate(file));
    }
    throw new ConfigurationException(
        "ENCRYPTION_PASSWORD",
        "or KEY_MANAGER_ENABLED=true is required with a BACKEND_ENDPOINT: the gateway never stores plaintext");
  }

  static byte[] loadOrGenerate(Path file) {
    try {
      if (Files.exists(file)) {
        byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
        if (key.length != 32) {
          throw new ConfigurationException("DATA_DIR", "holds a malformed " + GENERATED_KEY_FILE);
        }
        return key;
      }
      PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
