package io.github.s3eg.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/** What reaches the wire: a header with two values goes out as one comma-joined line. */
class OneLineHeadersTest {

  @Test
  void aHeaderWithTwoValuesIsSentAsOneLine() throws Exception {
    List<String> lines = headLinesSentBy(new OneLineHeaders(ApacheHttpClient.create()));

    assertThat(lines)
        .filteredOn(l -> l.startsWith("Content-Encoding:"))
        .containsExactly("Content-Encoding: gzip,aws-chunked");
    assertThat(lines).contains("X-Single: one");
  }

  @Test
  void withoutItTheHttpClientSendsOneLinePerValue() throws Exception {
    // What RGW 16.2 cannot verify a signature over: the reason for OneLineHeaders.
    List<String> lines = headLinesSentBy(ApacheHttpClient.create());

    assertThat(lines)
        .filteredOn(l -> l.startsWith("Content-Encoding:"))
        .containsExactly("Content-Encoding: gzip", "Content-Encoding: aws-chunked");
  }

  /** The request head lines {@code client} writes for a request with a two-valued header. */
  private static List<String> headLinesSentBy(SdkHttpClient client) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client) {
      CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> answerOnce(server));
      SdkHttpRequest request =
          SdkHttpRequest.builder()
              .method(SdkHttpMethod.GET)
              .uri(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/bucket/key"))
              .appendHeader("Content-Encoding", "gzip")
              .appendHeader("Content-Encoding", "aws-chunked")
              .putHeader("X-Single", "one")
              .build();
      var response =
          client.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
      assertThat(response.httpResponse().statusCode()).isEqualTo(200);
      return head.get().lines().toList();
    }
  }

  private static String answerOnce(ServerSocket server) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      socket
          .getOutputStream()
          .write(
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      return head.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
