package io.github.s3eg;

import io.github.s3eg.backend.StoredObjectSample;
import io.github.s3eg.backend.StoredObjectSample.StoredObject;
import io.github.s3eg.config.EncryptionConfig;
import io.github.s3eg.config.StartRefusedException;
import io.github.s3eg.crypto.CryptoException;
import io.github.s3eg.crypto.ObjectDecryptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, before any request: can the configured key source read what the backend already
 * holds? A wrong {@code ENCRYPTION_PASSWORD}, another salt, a replaced key file or another key
 * manager would otherwise go unnoticed until the first read, and every object written meanwhile
 * would be under a key the old ones do not share.
 *
 * <p>The gateway opens the data key of a few stored objects ({@link StoredObjectSample}), exactly
 * as a read would. One that opens is enough: the key source is right (objects under a retired key
 * beside it are not this check's business). If every sampled object names a key the gateway does
 * not have, the start is refused, naming the keys, unless {@code ENCRYPTION_ALLOW_NEW_KEY=true}.
 * Anything else (nothing stored, the backend or key service unreachable, a tampered object) lets
 * the gateway start; the reads then answer for themselves.
 */
final class StoredKeyCheck {

  private static final Logger LOG = LoggerFactory.getLogger(StoredKeyCheck.class);

  private StoredKeyCheck() {}

  /**
   * @param keySource the key source in a few words, for the messages
   */
  static void verify(
      ObjectDecryptor decryptor,
      StoredObjectSample stored,
      EncryptionConfig config,
      String keySource) {
    stored
        .incomplete()
        .ifPresent(
            why ->
                LOG.warn(
                    "Could not look at the stored objects ({}): not checked whether {} can read"
                        + " them",
                    why,
                    keySource));
    List<StoredObject> unknown = new ArrayList<>();
    for (StoredObject object : stored.objects()) {
      try {
        decryptor.open(object.bucket(), object.key(), object.metadata());
        return; // the configured key reads what is stored
      } catch (CryptoException.UnknownKey e) {
        unknown.add(object);
      } catch (CryptoException e) {
        // Unreachable key service, tampered or unreadable metadata: not a question of which key.
        LOG.debug("start-up key check: {}: {}", object.name(), e.toString());
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    unknown.forEach(o -> keys.add(o.kek()));
    String found =
        "the stored objects "
            + names(unknown)
            + " are encrypted under key"
            + (keys.size() > 1 ? "s " : " ")
            + String.join(", ", keys)
            + ", which "
            + keySource
            + " cannot read";
    if (config.allowNewKey()) {
      LOG.warn(
          "{}; starting anyway ({}=true): such objects answer 403 EncryptionKeyNotFound",
          found,
          EncryptionConfig.ALLOW_NEW_KEY);
      return;
    }
    throw new StartRefusedException(
        found
            + ".\n  Configure the key source they were written with (the same ENCRYPTION_PASSWORD"
            + " and ENCRYPTION_PASSWORD_SALT, key file or key manager keys) and start again;\n"
            + "  or set "
            + EncryptionConfig.ALLOW_NEW_KEY
            + "=true to start with this key anyway (those objects stay unreadable through it).\n"
            + "  See docs/troubleshooting.md, \"A lost or changed key\".");
  }

  private static String names(List<StoredObject> objects) {
    List<String> names = new ArrayList<>();
    for (StoredObject o : objects) {
      names.add(o.name());
    }
    return String.join(", ", names);
  }
}
