package io.github.s3eg.keys.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} a key-service client uses: trust limited to the configured CA (not
 * the JDK's public roots, since a KMS is a private service), and optionally a client certificate
 * for mutual TLS. Only TLS 1.2 and 1.3 are offered (see {@link #PROTOCOLS}).
 */
public final class MutualTls {

  /** Protocol versions clients enable on their sockets. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private MutualTls() {}

  /** A context trusting {@code caCert}'s certificates and presenting {@code clientCert}. */
  public static SSLContext context(Path caCert, Path clientCert, Path clientKey)
      throws GeneralSecurityException {
    return build(trustManagers(caCert), keyManagers(clientCert, clientKey));
  }

  /** A context trusting {@code caCert}'s certificates, with no client certificate. */
  public static SSLContext trustOnly(Path caCert) throws GeneralSecurityException {
    return build(trustManagers(caCert), null);
  }

  /**
   * For HTTPS services that may use a public CA: trusts {@code caCert} if given, else the JDK's
   * roots; presents a client certificate if both {@code clientCert} and {@code clientKey} are
   * given.
   */
  public static SSLContext context(
      Optional<Path> caCert, Optional<Path> clientCert, Optional<Path> clientKey)
      throws GeneralSecurityException {
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs its key and vice versa");
    }
    TrustManager[] trust = caCert.isPresent() ? trustManagers(caCert.get()) : null;
    KeyManager[] keys =
        clientCert.isPresent() ? keyManagers(clientCert.get(), clientKey.get()) : null;
    return build(trust, keys);
  }

  private static SSLContext build(TrustManager[] trust, KeyManager[] keys)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust, new SecureRandom());
    return context;
  }

  private static TrustManager[] trustManagers(Path caCert) throws GeneralSecurityException {
    KeyStore trustStore = emptyStore();
    int index = 0;
    for (X509Certificate ca : PemFiles.certificates(caCert)) {
      trustStore.setCertificateEntry("ca-" + index++, ca);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trustStore);
    return factory.getTrustManagers();
  }

  private static KeyManager[] keyManagers(Path clientCert, Path clientKey)
      throws GeneralSecurityException {
    List<X509Certificate> chain = PemFiles.certificates(clientCert);
    PrivateKey key = PemFiles.privateKey(clientKey);
    // The in-memory store needs a password; a random one keeps it from being a known constant.
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
    KeyStore keyStore = emptyStore();
    keyStore.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keyStore, password);
    Arrays.fill(password, '\0');
    return factory.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory key store", e);
    }
    return store;
  }
}
