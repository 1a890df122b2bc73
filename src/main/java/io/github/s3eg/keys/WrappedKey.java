package io.github.s3eg.keys;

import java.util.Arrays;
import java.util.Objects;

/** A data key (DEK) sealed under a KEK: the KEK's reference and the opaque wrapped bytes. */
public record WrappedKey(KeyReference kek, byte[] ciphertext) {

  public WrappedKey {
    Objects.requireNonNull(kek, "kek");
    ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey w
        && kek.equals(w.kek)
        && Arrays.equals(ciphertext, w.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * kek.hashCode() + Arrays.hashCode(ciphertext);
  }

  @Override
  public String toString() {
    return "WrappedKey[" + kek.encode() + ", " + ciphertext.length + " bytes]";
  }
}
