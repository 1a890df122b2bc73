package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What S3 SDKs would never send, sent over plain HTTP: malformed and hostile bodies, unsupported
 * methods, invalid names, and a check that nothing from the request is echoed back.
 */
class RawHttpTest {

  private static GatewayFixture fixture;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    // Protocol handling, not authentication, is under test here: signatures are off (loopback
    // only).
    fixture = GatewayFixture.start(Map.of("AUTH_ENABLED", "false"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    send("PUT", "/raw-bucket", HttpRequest.BodyPublishers.noBody());
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    fixture.close();
  }

  private static HttpResponse<String> send(
      String method, String path, HttpRequest.BodyPublisher body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fixture.endpoint() + path)).method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void everyResponseCarriesARequestIdAndNoEchoedRequestHeaders() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/raw-bucket?list-type=2&echo-param=1",
            HttpRequest.BodyPublishers.noBody(),
            "X-Echo-Test",
            "leak-me");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amz-request-id")).get().asString().matches("[0-9A-F]{16}");
    assertThat(r.headers().map().keySet())
        .noneMatch(h -> h.equalsIgnoreCase("X-Echo-Test") || h.equalsIgnoreCase("echo-param"));
    assertThat(r.headers().map().values().toString()).doesNotContain("leak-me");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/xml");
  }

  @Test
  void errorsAreS3XmlWithCodeAndRequestId() throws Exception {
    HttpResponse<String> r =
        send("GET", "/raw-bucket/missing-key", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("<Code>NoSuchKey</Code>").contains("<Key>missing-key</Key>");
    assertThat(r.body())
        .contains(
            "<RequestId>"
                + r.headers().firstValue("x-amz-request-id").orElseThrow()
                + "</RequestId>");
  }

  @Test
  void malformedDeleteDocumentIsMalformedXml() throws Exception {
    HttpResponse<String> r =
        send("POST", "/raw-bucket?delete", HttpRequest.BodyPublishers.ofString("<Delete><Object>"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void xmlEntityExpansionIsRefused() throws Exception {
    String bomb =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
            + "<Delete><Object><Key>&lol2;</Key></Object></Delete>";
    HttpResponse<String> r =
        send("POST", "/raw-bucket?delete", HttpRequest.BodyPublishers.ofString(bomb));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void tooManyKeysInDeleteIsMalformedXml() throws Exception {
    StringBuilder doc = new StringBuilder("<Delete>");
    for (int i = 0; i < 1001; i++) {
      doc.append("<Object><Key>k").append(i).append("</Key></Object>");
    }
    doc.append("</Delete>");
    HttpResponse<String> r =
        send("POST", "/raw-bucket?delete", HttpRequest.BodyPublishers.ofString(doc.toString()));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void invalidBucketNameIsRefused() throws Exception {
    HttpResponse<String> r = send("GET", "/Invalid_Bucket!", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>InvalidBucketName</Code>");
  }

  @Test
  void unsupportedMethodIsMethodNotAllowed() throws Exception {
    HttpResponse<String> r =
        send("POST", "/raw-bucket/some-key", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.body()).contains("<Code>MethodNotAllowed</Code>");
  }

  @Test
  void unsupportedSubresourceIsNotImplementedAndNeverReachesTheBackend() throws Exception {
    HttpResponse<String> r =
        // (?policy, used here before, is forwarded now: SUBRESOURCES_FORWARDED.)
        send("PUT", "/raw-bucket?analytics&id=a", HttpRequest.BodyPublishers.ofString("<x/>"));
    assertThat(r.statusCode()).isEqualTo(501);
    assertThat(r.body()).contains("<Code>NotImplemented</Code>");
  }

  @Test
  void plainPutWithExpectContinueAndHeadReportLength() throws Exception {
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(fixture.endpoint() + "/raw-bucket/plain%20key%2Bplus"))
            .expectContinue(true)
            .PUT(HttpRequest.BodyPublishers.ofString("hello, plain body"))
            .build();
    HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).isPresent();

    HttpResponse<String> get =
        send("GET", "/raw-bucket/plain%20key%2Bplus", HttpRequest.BodyPublishers.noBody());
    assertThat(get.body()).isEqualTo("hello, plain body");
    assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(17);
    assertThat(get.headers().firstValue("Transfer-Encoding")).isEmpty();

    HttpResponse<String> head =
        send("HEAD", "/raw-bucket/plain%20key%2Bplus", HttpRequest.BodyPublishers.noBody());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(17);
  }
}
