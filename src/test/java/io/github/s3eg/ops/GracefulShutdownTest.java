package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.s3eg.it.GatewayFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Stopping the gateway lets an upload in progress finish and refuses new requests meanwhile. */
class GracefulShutdownTest {

  private static final int HALF = 512 * 1024;

  @Test
  void uploadInProgressFinishesWhileNewRequestsAreRefused() throws Exception {
    GatewayFixture fixture = GatewayFixture.start(Map.of("SHUTDOWN_TIMEOUT", "20s"));
    CompletableFuture<Void> closed = null;
    Logger gatewayLog = (Logger) LoggerFactory.getLogger("s3eg.gateway");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    gatewayLog.addAppender(logged);
    Level level = gatewayLog.getLevel();
    gatewayLog.setLevel(Level.INFO);
    try {
      fixture.defaultClient().createBucket(b -> b.bucket("draining"));
      URI uri = URI.create(fixture.endpoint() + "/draining/upload");
      try (Socket socket = new Socket("127.0.0.1", fixture.gateway().port())) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(signedPutHead(uri, 2 * HALF));
        out.flush();
        // The gateway answers 100 Continue when the upload starts reading the body: in progress.
        InputStream in = socket.getInputStream();
        assertThat(statusLine(in)).isEqualTo("HTTP/1.1 100 Continue");
        assertThat(statusLine(in)).isEmpty();
        out.write(new byte[HALF]);
        out.flush();

        closed =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    fixture.close();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  HttpResponse<String> refused =
                      SignedHttp.get(URI.create(fixture.endpoint() + "/live"));
                  assertThat(refused.statusCode()).isEqualTo(503);
                  assertThat(refused.body()).contains("<Code>ServiceUnavailable</Code>");
                  SecurityHeadersTest.assertSecurityHeaders(refused.headers(), false);
                });
        assertThat(closed).as("close waits for the upload").isNotDone();

        out.write(new byte[HALF]);
        out.flush();
        String status = statusLine(in);
        assertThat(status).isEqualTo("HTTP/1.1 200 OK");
      }
      closed.get(20, TimeUnit.SECONDS);
      // The last line of the gateway's life says how the drain went.
      assertThat(logged.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .contains("Stopping: new requests are refused; waiting up to 20 s for 1 in progress")
          .anySatisfy(
              line ->
                  assertThat(line)
                      .matches(
                          "s3-encryption-gateway stopped: 1 of 1 requests in progress finished in"
                              + " [0-9.]+ s, [1-9][0-9]* new ones refused meanwhile"));
    } finally {
      gatewayLog.detachAppender(logged);
      gatewayLog.setLevel(level);
      if (closed == null) {
        fixture.close();
      }
    }
  }

  private static byte[] signedPutHead(URI uri, int length) {
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsCredentialsIdentity.create(
                                GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET))
                        .request(
                            SdkHttpRequest.builder()
                                .method(SdkHttpMethod.PUT)
                                .uri(uri)
                                .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
                                .putHeader("Content-Length", Integer.toString(length))
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

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
