package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs that answered 500 instead of the client error S3 gives (issue 17 finding 9), sent byte for
 * byte: each now gets its 4xx S3 error and nothing reaches the backend. Signatures are off
 * (loopback only): input handling is under test.
 */
class ClientErrorsTest {

  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("AUTH_ENABLED", "false"));
    send("PUT /errors HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    send("PUT /errors/k HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of(
            "GET /errors/k?response-content-type=text%2Fplain%0D%0AX-Injected:%201 HTTP/1.1\r\n\r\n",
            400, "InvalidArgument"),
        Arguments.of(
            "GET /errors/k?response-content-disposition=a%0Ab HTTP/1.1\r\n\r\n",
            400, "InvalidArgument"),
        Arguments.of(
            "PUT /errors/copy HTTP/1.1\r\nx-amz-copy-source: ../x\r\nContent-Length: 0\r\n\r\n",
            400,
            "InvalidArgument"),
        Arguments.of(
            "PUT /errors/copy HTTP/1.1\r\nx-amz-copy-source: /../errors/k\r\nContent-Length: 0\r\n\r\n",
            400,
            "InvalidArgument"),
        // A request target that is no path: was Vert.x's plain-text 404.
        Arguments.of("GET * HTTP/1.1\r\n\r\n", 400, "InvalidURI"),
        Arguments.of("OPTIONS * HTTP/1.1\r\n\r\n", 400, "InvalidURI"),
        Arguments.of("GET errors HTTP/1.1\r\n\r\n", 400, "InvalidURI"),
        // NUL in a listing's key parameters: the backend's bare 400 was a 500.
        Arguments.of("GET /errors?prefix=%00 HTTP/1.1\r\n\r\n", 400, "InvalidArgument"),
        Arguments.of(
            "GET /errors?list-type=2&start-after=a%00 HTTP/1.1\r\n\r\n", 400, "InvalidArgument"),
        Arguments.of("GET /errors?marker=%00 HTTP/1.1\r\n\r\n", 400, "InvalidArgument"),
        // A storage class S3 does not know: the backend's bare 400 was a 500.
        Arguments.of(
            "PUT /errors/k2 HTTP/1.1\r\nx-amz-storage-class: FOO\r\nContent-Length: 1\r\n\r\nx",
            400,
            "InvalidStorageClass"),
        Arguments.of(
            "PUT /errors/copy HTTP/1.1\r\nx-amz-copy-source: errors/k\r\n"
                + "x-amz-storage-class: standard\r\nContent-Length: 0\r\n\r\n",
            400,
            "InvalidStorageClass"),
        Arguments.of(
            "POST /errors/mpu?uploads HTTP/1.1\r\nx-amz-storage-class: FOO\r\n"
                + "Content-Length: 0\r\n\r\n",
            400,
            "InvalidStorageClass"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void answeredWithTheClientError(String request, int status, String code) throws Exception {
    fixture.probe().reset();
    RawHttp.Response r = send(request);
    assertThat(r.status()).as(request).isEqualTo(status);
    assertThat(r.body()).contains("<Code>" + code + "</Code>");
    assertThat(r.headers()).doesNotContainKey("X-Injected");
    assertThat(fixture.probe().requests()).isEmpty();
  }

  private static RawHttp.Response send(String request) throws IOException {
    int eol = request.indexOf("\r\n");
    String withHost =
        request.substring(0, eol + 2) + "Host: 127.0.0.1\r\n" + request.substring(eol + 2);
    return RawHttp.sendBytes(fixture.endpoint(), withHost.getBytes(StandardCharsets.UTF_8));
  }
}
