package io.github.s3eg.keysetup;

import io.github.s3eg.backend.StoredObjectSample;
import io.github.s3eg.config.BackendConfig;
import io.github.s3eg.config.ConfigurationException;
import io.github.s3eg.config.EncryptionConfig;
import io.github.s3eg.config.PrivateFiles;
import io.github.s3eg.config.StartRefusedException;
import io.github.s3eg.keys.BucketKeys;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keys.KeyManagerConfigException;
import io.github.s3eg.keys.KeyManagerFactory;
import io.github.s3eg.keys.PasswordKeyManager;
import io.github.s3eg.keys.StaticKeyManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Builds the gateway's key manager from the configuration:
 *
 * <ul>
 *   <li>{@code KEY_MANAGER_ENABLED=true}: the configured provider (kmip, cosmian, keyring), with
 *       the password manager as read fallback when {@code ENCRYPTION_PASSWORD} is also set;
 *   <li>{@code ENCRYPTION_PASSWORD}: the password KEK, derived once here at start-up;
 *   <li>neither, with the embedded backend: a random KEK generated at first start into {@value
 *       #GENERATED_KEY_FILE} under the data directory (mode 0600), so the quick start encrypts. It
 *       is generated only while the store holds no encrypted object: once the file is lost, a new
 *       key would leave every stored object unreadable, so the start is refused with what to
 *       restore, unless {@code ENCRYPTION_ALLOW_NEW_KEY=true};
 *   <li>neither, with a real backend: start-up fails — the gateway never stores plaintext, and a
 *       key that lives only in one container's data directory would be lost with it.
 * </ul>
 */
public final class KeySetup {

  public static final String GENERATED_KEY_FILE = "gateway-kek.b64";

  private KeySetup() {}

  /**
   * @param stored what the backend already holds (a sample); decides whether a lost generated key
   *     may be replaced
   */
  public static KeyManager create(
      EncryptionConfig config, BackendConfig backend, StoredObjectSample stored) {
    KeyManager gateway = gatewayKeys(config, backend, stored);
    try {
      return BucketKeys.open(gateway, config.bucketKeyrings());
    } catch (java.io.IOException | IllegalArgumentException e) {
      gateway.close();
      throw new ConfigurationException("BUCKET_KEYRINGS", e.getMessage());
    }
  }

  private static KeyManager gatewayKeys(
      EncryptionConfig config, BackendConfig backend, StoredObjectSample stored) {
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
      Path file = generatedKeyFile(backend);
      if (!Files.exists(file)) {
        mayGenerate(file, backend, stored, config.allowNewKey());
      }
      return new StaticKeyManager(loadOrGenerate(file));
    }
    throw new ConfigurationException(
        "ENCRYPTION_PASSWORD",
        "or KEY_MANAGER_ENABLED=true is required with a BACKEND_ENDPOINT: the gateway never stores plaintext");
  }

  /** The key source in a few words, for the start-up log: which provider, which key. */
  public static String describe(EncryptionConfig config, BackendConfig backend, KeyManager keys) {
    String active = keys.activeKey().encode();
    if (config.keyManagerEnabled()) {
      return keys.provider()
          + " key manager, active key "
          + active
          + (config.password().isPresent() ? ", ENCRYPTION_PASSWORD as read fallback" : "");
    }
    if (config.password().isPresent()) {
      return "ENCRYPTION_PASSWORD (key " + active + ")";
    }
    return "the generated key " + active + " in " + generatedKeyFile(backend);
  }

  /** Where the embedded mode keeps its generated key. */
  public static Path generatedKeyFile(BackendConfig backend) {
    return backend.dataDir().resolve(GENERATED_KEY_FILE).toAbsolutePath();
  }

  /**
   * A new key may be generated into {@code file} only while nothing is stored under an old one:
   * otherwise the start is refused, naming the file and the key the objects need, unless {@code
   * ENCRYPTION_ALLOW_NEW_KEY=true}.
   */
  private static void mayGenerate(
      Path file, BackendConfig backend, StoredObjectSample stored, boolean allowNewKey) {
    if (stored.isEmpty() && stored.incomplete().isEmpty()) {
      return; // a new store: the first start generates the key
    }
    String found =
        stored.isEmpty()
            ? "the embedded store in "
                + backend.dataDir().toAbsolutePath()
                + " could not be looked at ("
                + stored.incomplete().get()
                + "), so it may hold objects encrypted under the lost key"
            : "the embedded store in "
                + backend.dataDir().toAbsolutePath()
                + " holds objects encrypted under key "
                + stored.objects().get(0).kek()
                + " (e.g. "
                + stored.objects().get(0).name()
                + "), and a new key could not read them";
    if (allowNewKey) {
      // The start-up check names the objects the new key cannot read (StoredKeyCheck).
      return;
    }
    throw new StartRefusedException(
        "the key file "
            + file
            + " is missing, but "
            + found
            + ".\n  Restore the file from your backup (it is one line of base64, mode 0600) and start"
            + " again;\n  or set "
            + EncryptionConfig.ALLOW_NEW_KEY
            + "=true to start with a new key (the objects already stored stay unreadable until"
            + " the old key is back).\n  See docs/troubleshooting.md, \"A lost or changed key\".");
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
