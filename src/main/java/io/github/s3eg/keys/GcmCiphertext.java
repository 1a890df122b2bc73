package io.github.s3eg.keys;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * An AES-GCM result as the key managers store it inside {@link WrappedKey#ciphertext()}: {@code iv
 * (12 bytes) || ciphertext || tag (16 bytes)}. This is the layout the JDK's {@code
 * AES/GCM/NoPadding} produces after the IV, and the one Cosmian's CLI writes, so a wrapped key can
 * be opened offline with standard tools by whoever holds the KEK.
 */
public record GcmCiphertext(byte[] iv, byte[] ciphertext, byte[] tag) {

  public static final int IV_BYTES = 12;
  public static final int TAG_BYTES = 16;

  public GcmCiphertext {
    iv = Objects.requireNonNull(iv, "iv").clone();
    ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    tag = Objects.requireNonNull(tag, "tag").clone();
    if (iv.length != IV_BYTES) {
      throw new IllegalArgumentException("GCM IV must be " + IV_BYTES + " bytes");
    }
    if (tag.length != TAG_BYTES) {
      throw new IllegalArgumentException("GCM tag must be " + TAG_BYTES + " bytes");
    }
  }

  /** Splits {@code iv || ciphertext || tag}; fails if too short to hold an IV and a tag. */
  public static GcmCiphertext fromBytes(byte[] sealed) {
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new IllegalArgumentException("sealed key too short for AES-GCM");
    }
    return new GcmCiphertext(
        Arrays.copyOfRange(sealed, 0, IV_BYTES),
        Arrays.copyOfRange(sealed, IV_BYTES, sealed.length - TAG_BYTES),
        Arrays.copyOfRange(sealed, sealed.length - TAG_BYTES, sealed.length));
  }

  public byte[] toBytes() {
    byte[] out = new byte[IV_BYTES + ciphertext.length + TAG_BYTES];
    System.arraycopy(iv, 0, out, 0, IV_BYTES);
    System.arraycopy(ciphertext, 0, out, IV_BYTES, ciphertext.length);
    System.arraycopy(tag, 0, out, IV_BYTES + ciphertext.length, TAG_BYTES);
    return out;
  }

  @Override
  public byte[] iv() {
    return iv.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public byte[] tag() {
    return tag.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GcmCiphertext other
        && MessageDigest.isEqual(iv, other.iv)
        && MessageDigest.isEqual(ciphertext, other.ciphertext)
        && MessageDigest.isEqual(tag, other.tag);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(iv) + Arrays.hashCode(ciphertext)) + Arrays.hashCode(tag);
  }

  @Override
  public String toString() {
    return "GcmCiphertext[" + ciphertext.length + " bytes]";
  }
}
