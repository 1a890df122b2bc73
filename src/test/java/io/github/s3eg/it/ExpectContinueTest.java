package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code Expect: 100-continue} on a raw socket: the gateway asks for the body only once the request
 * is authenticated, so a client with a wrong signature gets its final 403 without having sent a
 * byte of the body, and a signed one gets 100 Continue and then its 200. Guards the order of
 * authentication and the interim response against latency work on the upload path.
 */
class ExpectContinueTest {

  private static final int LENGTH = 256 * 1024;
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    fixture.defaultClient().createBucket(b -> b.bucket("expect"));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void wrongSignatureIsRefusedBeforeTheBodyIsAskedFor() throws Exception {
    URI uri = URI.create(fixture.endpoint() + "/expect/refused");
    try (Socket socket = new Socket("127.0.0.1", fixture.gateway().port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(putHead(uri, "not-the-secret-0123456789"));
      out.flush();
      InputStream in = socket.getInputStream();
      // The first status line is the final answer: no 100 Continue, so no body was sent.
      assertThat(line(in)).isEqualTo("HTTP/1.1 403 Forbidden");
    }
    assertThatThrownBy(
            () -> fixture.defaultClient().headObject(b -> b.bucket("expect").key("refused")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void signedUploadGetsContinueThenItsResponse() throws Exception {
    URI uri = URI.create(fixture.endpoint() + "/expect/accepted");
    try (Socket socket = new Socket("127.0.0.1", fixture.gateway().port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(putHead(uri, GatewayFixture.CLIENT_SECRET));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(line(in)).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(line(in)).isEmpty();
      out.write(new byte[LENGTH]);
      out.flush();
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
    }
    assertThat(
            fixture
                .defaultClient()
                .headObject(b -> b.bucket("expect").key("accepted"))
                .contentLength())
        .isEqualTo(LENGTH);
  }

  private static byte[] putHead(URI uri, String secret) {
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(GatewayFixture.CLIENT_KEY, secret))
                        .request(
                            SdkHttpRequest.builder()
                                .method(SdkHttpMethod.PUT)
                                .uri(uri)
                                .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                                .putHeader("Content-Length", Integer.toString(LENGTH))
                                .build())
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    StringBuilder head = new StringBuilder("PUT " + uri.getRawPath() + " HTTP/1.1\r\n");
    for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
      h.getValue().forEach(v -> head.append(h.getKey()).append(": ").append(v).append("\r\n"));
    }
    return head.append("Expect: 100-continue\r\n\r\n")
        .toString()
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String line(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
