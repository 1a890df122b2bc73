package io.github.s3eg.keys.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the {@code openssl} CLI (so no certificate-building library is
 * needed): a CA, a server certificate for {@code IP:127.0.0.1} and a client certificate with
 * extended key usage {@code clientAuth}, all with PKCS#8 EC P-256 keys.
 */
public record TestPki(
    Path dir,
    Path caCert,
    Path caKey,
    Path serverCert,
    Path serverKey,
    Path clientCert,
    Path clientKey) {

  public static TestPki create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestPki pki =
        new TestPki(
            dir,
            dir.resolve("ca.pem"),
            dir.resolve("ca.key"),
            dir.resolve("server.pem"),
            dir.resolve("server.key"),
            dir.resolve("client.pem"),
            dir.resolve("client.key"));
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=s3eg-test-ca",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    pki.issue(
        "server",
        "/CN=127.0.0.1",
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            + "keyUsage=critical,digitalSignature,keyAgreement\n");
    pki.issue(
        "client",
        "/CN=s3eg-gateway",
        "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyAgreement\n");
    return pki;
  }

  /** Issues another certificate signed by this CA; returns {@code [cert, key]}. */
  public Path[] issue(String name, String subject, String extensions)
      throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
    return new Path[] {dir.resolve(name + ".pem"), dir.resolve(name + ".key")};
  }

  /** Runs {@code openssl args…} in {@code dir}; fails with its output if it exits non-zero. */
  public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(
          "openssl "
              + String.join(" ", args)
              + " failed:\n"
              + new String(output, StandardCharsets.UTF_8));
    }
  }
}
