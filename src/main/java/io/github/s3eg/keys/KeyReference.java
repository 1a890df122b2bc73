package io.github.s3eg.keys;

import java.util.Objects;

/**
 * Names one key-encryption key (KEK): the key manager's identifier and a version number. Stored
 * beside every object so that the right KEK can be found again after rotation.
 */
public record KeyReference(String id, int version) {

  public KeyReference {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.indexOf(':') >= 0) {
      throw new IllegalArgumentException("key id must be non-empty and must not contain ':'");
    }
    if (version < 0) {
      throw new IllegalArgumentException("key version must be >= 0");
    }
  }

  /** Compact text form {@code id:version}, as stored in object metadata. */
  public String encode() {
    return id + ":" + version;
  }

  public static KeyReference decode(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("malformed key reference");
    }
    return new KeyReference(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
