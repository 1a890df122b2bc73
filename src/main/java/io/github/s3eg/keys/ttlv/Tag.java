package io.github.s3eg.keys.ttlv;

import java.util.Locale;
import java.util.Objects;

/**
 * A TTLV tag: the three-byte code used on the KMIP wire and the name used by JSON encodings.
 *
 * <p>KMIP defines codes {@code 0x42xxxx}; {@code 0x54xxxx} is reserved for extensions. A tag with
 * code {@link #NO_CODE} exists only in JSON: Cosmian's JSON TTLV names the operation structure
 * itself ({@code "Encrypt"}, {@code "EncryptResponse"}), which has no binary KMIP tag. Such a tag
 * cannot be written by the binary codec.
 */
public record Tag(int code, String name) {

  /** Code of tags that exist only in JSON encodings. */
  public static final int NO_CODE = 0;

  public Tag {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tag name must not be empty");
    }
    if (code != NO_CODE && !isKmipCode(code)) {
      throw new IllegalArgumentException("not a KMIP tag code: " + hex(code));
    }
  }

  /** Whether {@code code} lies in the KMIP-defined or the extension tag range. */
  public static boolean isKmipCode(int code) {
    int prefix = code >>> 16;
    return (prefix == 0x42 || prefix == 0x54) && code <= 0xFFFFFF;
  }

  /** A tag this codebase has no name for; it is named by its code, as the JSON profile allows. */
  public static Tag unnamed(int code) {
    return new Tag(code, hex(code));
  }

  public boolean hasBinaryCode() {
    return code != NO_CODE;
  }

  /** The code as {@code 0x42XXXX}, the JSON profile's spelling of a tag without a name. */
  public static String hex(int code) {
    return String.format(Locale.ROOT, "0x%06X", code);
  }

  @Override
  public String toString() {
    return hasBinaryCode() ? name + "(" + hex(code) + ")" : name;
  }
}
