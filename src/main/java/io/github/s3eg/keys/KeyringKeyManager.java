package io.github.s3eg.keys;

import io.github.s3eg.keys.KeyringFile.InvalidKeyringException;
import io.github.s3eg.keys.KeyringFile.Keyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps data keys locally with AES-256-GCM under KEKs read from a keyring file ({@code
 * KEYRING_FILE}, format in {@link KeyringFile}): a random 12-byte nonce per wrap, the caller's
 * associated data, and {@code nonce || ciphertext || tag} as the wrapped bytes.
 *
 * <p><b>Rotation without restart.</b> The file is polled (modification time, size and file key,
 * every {@code pollInterval}); when it changes it is parsed completely and then swapped in at once,
 * so a request sees either the old keyring or the new one. Adding a version and changing {@code
 * active} therefore take effect within one poll interval. A file that fails to parse leaves the
 * previous keyring in use and logs one error per broken version of the file. Polling, rather than a
 * {@code WatchService}, also follows Kubernetes secret volumes, which swap a symlink.
 *
 * <p>The file holds KEKs in the clear: a warning is logged when it is readable or writable by group
 * or others.
 */
public final class KeyringKeyManager implements KeyManager, KeyOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(KeyringKeyManager.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CIPHER = "AES/GCM/NoPadding";
  // The JDK's provider is named explicitly: a BouncyCastle provider registered first would be
  // picked otherwise, and it is far slower for AES-GCM.
  private static final String PROVIDER = "SunJCE";

  private static final Set<PosixFilePermission> EXPOSED =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private final Path file;
  private final int window;
  private final ScheduledExecutorService poller;
  private volatile Keyring keyring;
  private volatile FileStamp loadedStamp;
  private FileStamp lastFailedStamp;

  /**
   * Loads {@code file} (failing if it is unusable) and polls it every {@code pollInterval}; a zero
   * interval disables polling ({@link #reloadIfChanged()} can still be called).
   */
  public KeyringKeyManager(Path file, int window, Duration pollInterval) throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    this.window = window;
    FileStamp stamp = FileStamp.of(file);
    try {
      this.keyring = load(stamp);
    } catch (InvalidKeyringException e) {
      throw new IOException("keyring " + file + " is invalid: " + e.getMessage());
    }
    this.loadedStamp = stamp;
    if (pollInterval.isZero()) {
      this.poller = null;
    } else {
      this.poller =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("keyring-reload").factory());
      long millis = pollInterval.toMillis();
      poller.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public String provider() {
    return "keyring";
  }

  @Override
  public KeyReference activeKey() {
    return keyring.versions().active();
  }

  @Override
  public boolean owns(KeyReference kek) {
    return keyring.versions().owns(kek);
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    Keyring current = keyring;
    KeyReference active = current.versions().active();
    byte[] nonce = new byte[GcmCiphertext.IV_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, PROVIDER);
      cipher.init(
          Cipher.ENCRYPT_MODE,
          current.keys().get(active.version()),
          new GCMParameterSpec(8 * GcmCiphertext.TAG_BYTES, nonce));
      cipher.updateAAD(associatedData);
      byte[] out = new byte[nonce.length + cipher.getOutputSize(dek.length)];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      cipher.doFinal(dek, 0, dek.length, out, nonce.length);
      return new WrappedKey(active, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in the JDK", e);
    }
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    Keyring current = keyring;
    KeyReference kek = current.versions().readable(wrapped.kek());
    SecretKeySpec key = current.keys().get(kek.version());
    byte[] sealed = wrapped.ciphertext();
    if (sealed.length < GcmCiphertext.IV_BYTES + GcmCiphertext.TAG_BYTES) {
      throw new KeyManagerException.UnwrapFailed("wrapped key is truncated", null);
    }
    try {
      Cipher cipher = Cipher.getInstance(CIPHER, PROVIDER);
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(8 * GcmCiphertext.TAG_BYTES, sealed, 0, GcmCiphertext.IV_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, GcmCiphertext.IV_BYTES, sealed.length - GcmCiphertext.IV_BYTES);
    } catch (AEADBadTagException e) {
      throw new KeyManagerException.UnwrapFailed(
          "wrapped key or its associated data were altered (keyring version " + kek.version() + ")",
          null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in the JDK", e);
    }
  }

  /**
   * Always healthy once loaded (the keys are local); a broken file on disk is reported in the
   * detail but does not take the gateway out of service, since the previous keyring still works.
   */
  @Override
  public Health health() {
    return hasBrokenFile()
        ? new Health(true, "keyring: file changed but is invalid; still using the previous keyring")
        : Health.up();
  }

  /**
   * Reloads the file if it changed since the last load; keeps the current keyring if the new
   * content is invalid. Returns whether a new keyring is now in use.
   */
  public synchronized boolean reloadIfChanged() {
    FileStamp stamp;
    try {
      stamp = FileStamp.of(file);
    } catch (IOException e) {
      return reportFailure(
          FileStamp.missing(), "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (stamp.equals(loadedStamp) || stamp.equals(lastFailedStamp)) {
      return false;
    }
    try {
      Keyring next = load(stamp);
      keyring = next;
      loadedStamp = stamp;
      lastFailedStamp = null;
      LOG.info(
          "Keyring {} reloaded: {} versions, active version {}",
          file,
          next.keys().size(),
          next.versions().active().version());
      return true;
    } catch (InvalidKeyringException e) {
      return reportFailure(stamp, "is invalid: " + e.getMessage());
    } catch (IOException e) {
      return reportFailure(stamp, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  private Keyring load(FileStamp stamp) throws IOException, InvalidKeyringException {
    warnIfExposed(stamp);
    byte[] content = Files.readAllBytes(file);
    try {
      return KeyringFile.parse(content, window);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private boolean reportFailure(FileStamp stamp, String problem) {
    if (!stamp.equals(lastFailedStamp)) {
      lastFailedStamp = stamp;
      LOG.error(
          "Keyring {} {}; keeping the previous keyring (active version {})",
          file,
          problem,
          keyring.versions().active().version());
    }
    return false;
  }

  private synchronized boolean hasBrokenFile() {
    return lastFailedStamp != null;
  }

  private void pollQuietly() {
    try {
      reloadIfChanged();
    } catch (RuntimeException e) {
      LOG.error("Keyring {} reload failed unexpectedly", file, e);
    }
  }

  private void warnIfExposed(FileStamp stamp) {
    Set<PosixFilePermission> permissions = stamp.permissions();
    if (permissions == null) {
      return;
    }
    if (!Collections.disjoint(permissions, EXPOSED)) {
      LOG.warn(
          "Keyring {} is accessible to group or others ({}); restrict it with chmod 600",
          file,
          PosixFilePermissions.toString(permissions));
    }
  }

  /** Enough of a file's identity to notice it changed, including a replaced symlink target. */
  private record FileStamp(
      long modifiedMillis, long size, Object fileKey, Set<PosixFilePermission> permissions) {

    static FileStamp of(Path file) throws IOException {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Set<PosixFilePermission> permissions;
      try {
        permissions = Files.getPosixFilePermissions(file);
      } catch (UnsupportedOperationException e) {
        permissions = null;
      }
      return new FileStamp(
          attributes.lastModifiedTime().toMillis(),
          attributes.size(),
          attributes.fileKey(),
          permissions);
    }

    static FileStamp missing() {
      return new FileStamp(-1, -1, null, null);
    }
  }
}
