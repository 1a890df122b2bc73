package io.github.s3eg.keys.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads PEM certificates and private keys with the JDK. Keys may be PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}), the three forms openssl
 * and KMS vendors hand out; the last two are rewrapped as PKCS#8 with BouncyCastle's ASN.1 classes
 * (no BouncyCastle provider is involved). Encrypted keys are refused with a clear message.
 *
 * <p>Messages name the file but never echo its content.
 */
public final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);

  private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
  private static final ASN1ObjectIdentifier ED448 = new ASN1ObjectIdentifier("1.3.101.113");

  private PemFiles() {}

  /** Every certificate in {@code file}, in order; fails if there is none. */
  public static List<X509Certificate> certificates(Path file) throws GeneralSecurityException {
    String pem = read(file);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      if (matcher.group(1).equals("CERTIFICATE")) {
        byte[] der = base64(matcher.group(2), file);
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateException("no PEM certificate in " + file);
    }
    return certificates;
  }

  /** The single private key in {@code file}. */
  public static PrivateKey privateKey(Path file) throws GeneralSecurityException {
    String pem = read(file);
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      String label = matcher.group(1);
      byte[] der = base64(matcher.group(2), file);
      try {
        switch (label) {
          case "PRIVATE KEY":
            return fromPkcs8(der, file);
          case "RSA PRIVATE KEY":
            return fromPkcs8(rsaToPkcs8(der, file), file);
          case "EC PRIVATE KEY":
            return fromPkcs8(ecToPkcs8(der, file), file);
          case "ENCRYPTED PRIVATE KEY":
            throw new GeneralSecurityException(
                "encrypted private keys are not supported: "
                    + file
                    + " (convert with: openssl pkcs8 -topk8 -nocrypt)");
          default:
            break;
        }
      } finally {
        Arrays.fill(der, (byte) 0);
      }
    }
    throw new GeneralSecurityException("no PEM private key in " + file);
  }

  private static PrivateKey fromPkcs8(byte[] der, Path file) throws GeneralSecurityException {
    String algorithm;
    try {
      ASN1ObjectIdentifier oid =
          PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm();
      algorithm = keyAlgorithm(oid, file);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed PKCS#8 private key in " + file);
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
  }

  private static String keyAlgorithm(ASN1ObjectIdentifier oid, Path file)
      throws GeneralSecurityException {
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    }
    if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return "RSASSA-PSS";
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.equals(ED25519)) {
      return "Ed25519";
    }
    if (oid.equals(ED448)) {
      return "Ed448";
    }
    throw new GeneralSecurityException("unsupported private key algorithm in " + file);
  }

  private static byte[] rsaToPkcs8(byte[] pkcs1, Path file) throws GeneralSecurityException {
    try {
      RSAPrivateKey key = RSAPrivateKey.getInstance(pkcs1);
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key)
          .getEncoded();
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed PKCS#1 RSA private key in " + file);
    }
  }

  private static byte[] ecToPkcs8(byte[] sec1, Path file) throws GeneralSecurityException {
    try {
      ECPrivateKey key = ECPrivateKey.getInstance(sec1);
      if (key.getParametersObject() == null) {
        throw new GeneralSecurityException("EC private key without curve parameters in " + file);
      }
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(
                  X9ObjectIdentifiers.id_ecPublicKey, key.getParametersObject()),
              key)
          .getEncoded();
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed SEC1 EC private key in " + file);
    }
  }

  private static byte[] base64(String body, Path file) throws GeneralSecurityException {
    try {
      return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed base64 in " + file);
    }
  }

  private static String read(Path file) throws GeneralSecurityException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new GeneralSecurityException(
          "cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
