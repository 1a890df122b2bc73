package io.github.s3eg.keys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The versioned KEKs a key manager is configured with, which one wraps, and which ones may still
 * unwrap.
 *
 * <p>Each version names one key ({@code id:version}): a KMIP or Cosmian unique identifier per
 * version, or one keyring id shared by all versions. The active version is the highest one unless
 * another is chosen explicitly. Unwrapping is allowed under the active version, under any
 * configured newer version (staged for a rotation that other gateway instances may already have
 * made), and under the {@code window} configured versions just below the active one. Older
 * configured versions fail with {@link KeyManagerException.KeyNotFound} naming the version, so that
 * a retired key stops being used even before it is removed from the configuration.
 */
public final class KekVersions {

  private final NavigableMap<Integer, KeyReference> byVersion;
  private final KeyReference active;
  private final int window;

  public KekVersions(Collection<KeyReference> keys, OptionalInt activeVersion, int window) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one key version is required");
    }
    if (window < 0) {
      throw new IllegalArgumentException("the dual-read window must be >= 0");
    }
    NavigableMap<Integer, KeyReference> versions = new TreeMap<>();
    for (KeyReference key : keys) {
      if (versions.putIfAbsent(key.version(), key) != null) {
        throw new IllegalArgumentException("version " + key.version() + " is listed twice");
      }
    }
    this.byVersion = versions;
    this.window = window;
    if (activeVersion.isPresent()) {
      this.active = versions.get(activeVersion.getAsInt());
      if (active == null) {
        throw new IllegalArgumentException(
            "active version " + activeVersion.getAsInt() + " is not among the configured keys");
      }
    } else {
      this.active = versions.lastEntry().getValue();
    }
  }

  /**
   * Parses {@code id:version,id:version,…} (whitespace around entries is ignored).
   *
   * @throws IllegalArgumentException naming the offending entry
   */
  public static KekVersions parse(String spec, OptionalInt activeVersion, int window) {
    List<KeyReference> keys = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no keys given; expected id:version[,id:version…]");
    }
    for (String entry : spec.split(",", -1)) {
      String trimmed = entry.strip();
      int colon = trimmed.lastIndexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IllegalArgumentException("entry '" + trimmed + "' is not id:version");
      }
      int version;
      try {
        version = Integer.parseInt(trimmed.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("entry '" + trimmed + "' has a non-numeric version");
      }
      keys.add(new KeyReference(trimmed.substring(0, colon), version));
    }
    return new KekVersions(keys, activeVersion, window);
  }

  /** The KEK that wraps new data keys. */
  public KeyReference active() {
    return active;
  }

  public int window() {
    return window;
  }

  /** All configured KEKs, lowest version first. */
  public List<KeyReference> all() {
    return List.copyOf(byVersion.values());
  }

  /** Whether {@code kek}'s id is one of the configured keys (whatever its version). */
  public boolean owns(KeyReference kek) {
    for (KeyReference key : byVersion.values()) {
      if (key.id().equals(kek.id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that {@code requested} may unwrap: its version is configured, under the same id, and not
   * older than the dual-read window allows.
   */
  public KeyReference readable(KeyReference requested) throws KeyManagerException.KeyNotFound {
    KeyReference configured = byVersion.get(requested.version());
    if (configured == null) {
      throw new KeyManagerException.KeyNotFound(
          "KEK version " + requested.version() + " is not configured");
    }
    if (!configured.id().equals(requested.id())) {
      throw new KeyManagerException.KeyNotFound(
          "KEK version " + requested.version() + " is configured under another key id");
    }
    if (requested.version() < active.version()) {
      Map<Integer, KeyReference> older =
          byVersion.subMap(requested.version(), true, active.version(), false);
      int distance = older.size();
      if (distance > window) {
        throw new KeyManagerException.KeyNotFound(
            "KEK version "
                + requested.version()
                + " is outside the dual-read window (active "
                + active.version()
                + ", window "
                + window
                + ")");
      }
    }
    return configured;
  }
}
