package io.github.s3eg.it;

import static io.github.s3eg.it.CredentialsFile.Credential.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One authenticated client cannot hold every worker with slow uploads (issue 17 finding 10): with
 * {@code SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL=2}, two uploads that trickle their bodies
 * keep the principal at its cap; its third request is refused with {@code 503 SlowDown} at once,
 * without the gateway waiting for (or reading) its body, while another principal is served. When
 * the slow uploads end, the principal is served again.
 */
class PerPrincipalConcurrencyTest {

  private static final String SECRET = "-secret-0123456789";
  private static final String BUCKET = "slow";

  @TempDir static Path dir;
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    Path credentials =
        CredentialsFile.write(
            dir.resolve("credentials.yaml"),
            List.of(admin("hog", "hog" + SECRET), admin("other", "other" + SECRET)));
    fixture =
        GatewayFixture.start(
            Map.of(
                "AUTH_CREDENTIALS_FILE",
                credentials.toString(),
                "SERVER_MAX_CONCURRENT_REQUESTS_PER_PRINCIPAL",
                "2"));
    try (S3Client hog = client("hog")) {
      hog.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void slowUploadsHoldOnlyTheirPrincipalsShare() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try (S3Client hog = client("hog");
        S3Client other = client("other")) {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket(fixture.endpoint().getHost(), fixture.endpoint().getPort());
        slow.add(s);
        OutputStream out = s.getOutputStream();
        out.write(signedPutHead("hog", "/" + BUCKET + "/slow-" + i, 1_000_000));
        out.write(new byte[1024]); // the body starts, then trickles no further
        out.flush();
      }
      // Both slow uploads have reached the cap: the third request of "hog" is refused at once.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                S3Exception e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                        S3Exception.class, () -> hog.headBucket(b -> b.bucket(BUCKET)));
                assertThat(e.statusCode()).isEqualTo(503);
              });
      // A request whose body never comes is refused without waiting for it.
      try (Socket third = new Socket(fixture.endpoint().getHost(), fixture.endpoint().getPort())) {
        third.setSoTimeout(20_000);
        third.getOutputStream().write(signedPutHead("hog", "/" + BUCKET + "/third", 1_000_000));
        third.getOutputStream().flush();
        String answer = readAnswer(third.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 503").contains("<Code>SlowDown</Code>");
        assertThat(answer).containsIgnoringCase("Retry-After: 1");
      }
      // Another principal is served meanwhile.
      other.putObject(b -> b.bucket(BUCKET).key("other"), RequestBody.fromString("served"));
      assertThat(other.getObjectAsBytes(b -> b.bucket(BUCKET).key("other")).asUtf8String())
          .isEqualTo("served");
      org.junit.jupiter.api.Assertions.assertThrows(
          software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
          () -> other.headObject(b -> b.bucket(BUCKET).key("third")));

      for (Socket s : slow) {
        s.close();
      }
      // The slow uploads ended (cut off): their permits are back.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> hog.headBucket(b -> b.bucket(BUCKET)));
      hog.putObject(b -> b.bucket(BUCKET).key("after"), RequestBody.fromString("again"));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  private static S3Client client(String principal) {
    return fixture.singleAttemptClient(principal, principal + SECRET);
  }

  /** The request line and headers of a SigV4-signed PUT (unsigned payload) of {@code length}. */
  private static byte[] signedPutHead(String principal, String path, long length) {
    URI endpoint = fixture.endpoint();
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.PUT)
            .protocol(endpoint.getScheme())
            .host(endpoint.getHost())
            .port(endpoint.getPort())
            .encodedPath(path)
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .putHeader("Content-Length", Long.toString(length))
            .build();
    SdkHttpRequest signed = SigV4Signer.sign(unsigned, principal, principal + SECRET);
    StringBuilder head = new StringBuilder("PUT " + path + " HTTP/1.1\r\n");
    head.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort());
    head.append("\r\n");
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
              }
            });
    head.append("\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Status line, headers and the start of the body of one answer. */
  private static String readAnswer(InputStream in) throws Exception {
    byte[] buf = new byte[8192];
    StringBuilder sb = new StringBuilder();
    int n;
    while (!sb.toString().contains("</Error>") && (n = in.read(buf)) > 0) {
      sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return sb.toString();
  }
}
