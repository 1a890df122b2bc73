package io.github.s3eg.http;

import io.github.s3eg.keys.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's certificate chain and private key, read from PEM files ({@code TLS_CERT_FILE},
 * {@code TLS_KEY_FILE}; keys in PKCS#8, PKCS#1 or SEC1 form) and checked to belong together, as the
 * {@link KeyCertOptions} Vert.x serves. {@link #fingerprint} tells whether the files have changed.
 */
final class TlsCertificate {

  private TlsCertificate() {}

  /**
   * Loads the pair.
   *
   * @throws GeneralSecurityException if a file holds no usable certificate or key, or the key is
   *     not the certificate's
   */
  static X509ExtendedKeyManager load(Path certFile, Path keyFile) throws GeneralSecurityException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    requireMatch(chain.get(0), key, keyFile);
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    store.setKeyEntry("gateway", key, password, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    for (KeyManager manager : factory.getKeyManagers()) {
      if (manager instanceof X509ExtendedKeyManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 key manager");
  }

  /** SHA-256 over both files' contents: changes when either file does. */
  static String fingerprint(Path certFile, Path keyFile) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(Files.readAllBytes(certFile));
      digest.update((byte) 0);
      digest.update(Files.readAllBytes(keyFile));
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A signature made with {@code key} must verify with the certificate's public key. */
  private static void requireMatch(X509Certificate cert, PrivateKey key, Path keyFile)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default ->
              throw new GeneralSecurityException(
                  "unsupported key algorithm " + key.getAlgorithm() + " in " + keyFile);
        };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(challenge);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException(
          "the private key in " + keyFile + " does not belong to the certificate");
    }
  }
}
