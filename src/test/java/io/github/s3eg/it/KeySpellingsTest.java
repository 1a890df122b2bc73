package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Other spellings of a key (issue 17 finding 2): the embedded store and S3Proxy resolve {@code ./x}
 * and {@code a/../x} like file paths, so {@code ./.s3eg/…} named the gateway's own records past a
 * check of the literal key. Every operation that takes a key (its own, a copy source, the keys of a
 * DeleteObjects document) is sent with {@code ./}, {@code a/../}, {@code //}, a leading {@code /}
 * and percent-encoded forms, against the gateway's reserved upload record and index and against an
 * ordinary object: each is refused, nothing reaches the backend, and the reserved objects are
 * unchanged. Listings with such prefixes, markers and start-after show no reserved name. Signatures
 * are off (loopback only): key handling is under test.
 */
class KeySpellingsTest {

  private static final String BUCKET = "spell";

  private static GatewayFixture fixture;
  private static S3Client backend;
  private static final Map<String, byte[]> reserved = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of("AUTH_ENABLED", "false"));
    backend = fixture.backend().directClient();
    assertThat(send("PUT /" + BUCKET + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status())
        .isEqualTo(200);
    assertThat(put("/" + BUCKET + "/plain", "plain text").status()).isEqualTo(200);
    // An upload in progress (its record) and a completed multipart object (its index).
    assertThat(
            send("POST /" + BUCKET + "/open?uploads HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                .status())
        .isEqualTo(200);
    RawHttp.Response created =
        send("POST /" + BUCKET + "/mp?uploads HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    String id = between(created.body(), "<UploadId>", "</UploadId>");
    RawHttp.Response part = put("/" + BUCKET + "/mp?partNumber=1&uploadId=" + id, "part one");
    String etag = part.headers().get("ETag");
    String complete =
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
            + etag
            + "</ETag></Part></CompleteMultipartUpload>";
    assertThat(post("/" + BUCKET + "/mp?uploadId=" + id, complete).status()).isEqualTo(200);
    for (S3Object o : backend.listObjectsV2(b -> b.bucket(BUCKET).prefix(".s3eg/")).contents()) {
      reserved.put(o.key(), stored(o.key()));
    }
    assertThat(reserved.keySet())
        .anyMatch(k -> k.startsWith(".s3eg/uploads/"))
        .anyMatch(k -> k.startsWith(".s3eg/index/"));
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
    fixture.close();
  }

  private static byte[] stored(String key) {
    return backend.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
  }

  /** A key as the request path spells it (raw, percent-encoded where the form says so). */
  record Spelling(String form, String rawKey, String decodedKey) {
    @Override
    public String toString() {
      return form + " " + rawKey;
    }
  }

  /** Other spellings of {@code key} (a reserved name, or an ordinary key). */
  static List<Spelling> spellings(String key) {
    return List.of(
        new Spelling("./", "./" + key, "./" + key),
        new Spelling("a/../", "a/../" + key, "a/../" + key),
        new Spelling("./ twice", "././" + key, "././" + key),
        new Spelling("leading /", "/" + key, "/" + key),
        new Spelling("//", "a//" + key, "a//" + key),
        new Spelling("%2E/", "%2E/" + key, "./" + key),
        new Spelling("%2e%2e", "a/%2e%2e/" + key, "a/../" + key),
        new Spelling("%2F", "%2F" + key, "/" + key),
        new Spelling(".%2F", ".%2F" + key, "./" + key),
        new Spelling("trailing /.", key + "/.", key + "/."));
  }

  static Stream<Arguments> targets() {
    List<Arguments> out = new ArrayList<>();
    // @BeforeAll has run: the gateway's actual upload record and index, and an ordinary key.
    List<String> keys = new ArrayList<>(reserved.keySet());
    keys.add("plain");
    for (String key : keys) {
      for (Spelling s : spellings(key)) {
        out.add(Arguments.of(key, s));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} (for {0})")
  @MethodSource("targets")
  void everyOperationRefusesTheSpelling(String key, Spelling s) throws Exception {
    String path = "/" + BUCKET + "/" + s.rawKey();
    String copy = "x-amz-copy-source: " + BUCKET + "/" + s.rawKey() + "\r\n";
    String deleteXml =
        "<Delete><Object><Key>" + escape(s.decodedKey()) + "</Key></Object></Delete>";
    List<String> requests =
        List.of(
            "PUT " + path + " HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
            "GET " + path + " HTTP/1.1\r\n\r\n",
            "HEAD " + path + " HTTP/1.1\r\n\r\n",
            "DELETE " + path + " HTTP/1.1\r\n\r\n",
            "POST " + path + "?uploads HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "PUT " + path + "?partNumber=1&uploadId=u HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
            "POST " + path + "?uploadId=u HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "DELETE " + path + "?uploadId=u HTTP/1.1\r\n\r\n",
            "GET " + path + "?uploadId=u HTTP/1.1\r\n\r\n",
            // CopyObject: the spelling as destination, then as source.
            "PUT " + path + " HTTP/1.1\r\nx-amz-copy-source: " + BUCKET + "/plain\r\n\r\n",
            "PUT /" + BUCKET + "/copy HTTP/1.1\r\n" + copy + "\r\n",
            "PUT /" + BUCKET + "/copy?partNumber=1&uploadId=u HTTP/1.1\r\n" + copy + "\r\n",
            "POST /"
                + BUCKET
                + "?delete HTTP/1.1\r\nContent-Length: "
                + deleteXml.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + deleteXml);
    for (String request : requests) {
      fixture.probe().reset();
      RawHttp.Response r = send(request);
      String line = request.substring(0, request.indexOf('\r'));
      assertThat(r.status()).as(line).isIn(400, 403);
      if (!line.startsWith("HEAD")) {
        assertThat(r.body()).as(line).containsAnyOf("InvalidArgument", "AccessDenied");
      }
      assertThat(fixture.probe().requests()).as(line + ": reached the backend").isEmpty();
    }
    reserved.forEach((name, bytes) -> assertThat(stored(name)).as(name).isEqualTo(bytes));
    assertThat(send("GET /" + BUCKET + "/plain HTTP/1.1\r\n\r\n").body()).isEqualTo("plain text");
  }

  /**
   * Listings with such prefixes, markers and start-after show no reserved name. The backend
   * resolves a prefix like a path too ({@code /} and {@code ..} it even refuses with a bare 400),
   * so on such a backend a prefix that is not a plain path is refused with 400 InvalidArgument like
   * a key; markers and start-after are compared as strings.
   */
  @Test
  void listingsWithOtherSpellingsShowNoReservedName() throws Exception {
    List<String> values =
        List.of(".s3eg/", "./.s3eg/", "a/../.s3eg/", "/.s3eg/", "%2E%2F.s3eg%2F", ".%2Fs3eg", "..");
    for (String v : values) {
      for (String query :
          List.of(
              "prefix=" + v,
              "list-type=2&prefix=" + v,
              "marker=" + v,
              "list-type=2&start-after=" + v,
              "prefix=" + v + "&delimiter=/",
              "uploads&prefix=" + v)) {
        RawHttp.Response r = send("GET /" + BUCKET + "?" + query + " HTTP/1.1\r\n\r\n");
        String decoded = java.net.URLDecoder.decode(v, StandardCharsets.UTF_8);
        boolean plainPrefix = !query.contains("prefix=") || decoded.equals(".s3eg/");
        assertThat(r.status()).as(query).isEqualTo(plainPrefix ? 200 : 400);
        assertThat(r.body())
            .as(query)
            .doesNotContain("<Key>.s3eg", "<CommonPrefixes><Prefix>.s3eg");
        for (String name : reserved.keySet()) {
          assertThat(r.body()).as(query).doesNotContain(name);
        }
      }
    }
  }

  /**
   * Dots that are not whole segments are ordinary characters. (A key ending in {@code /}, a folder
   * marker, is allowed too, but S3Proxy's file store keeps no bytes for it.)
   */
  @Test
  void keysWithDotsInsideSegmentsStillWork() throws Exception {
    for (String key : List.of("a/b.c", "..x/y..", "a/.hidden", "a/...", ".s3egg")) {
      assertThat(put("/" + BUCKET + "/" + key, "v").status()).as(key).isEqualTo(200);
      assertThat(send("GET /" + BUCKET + "/" + key + " HTTP/1.1\r\n\r\n").body())
          .as(key)
          .isEqualTo("v");
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;");
  }

  private static String between(String s, String from, String to) {
    int a = s.indexOf(from) + from.length();
    return s.substring(a, s.indexOf(to, a));
  }

  /** Sends {@code request} with a Host header added after the request line. */
  private static RawHttp.Response send(String request) throws IOException {
    int eol = request.indexOf("\r\n");
    String withHost =
        request.substring(0, eol + 2) + "Host: 127.0.0.1\r\n" + request.substring(eol + 2);
    return RawHttp.sendBytes(fixture.endpoint(), withHost.getBytes(StandardCharsets.UTF_8));
  }

  private static RawHttp.Response put(String target, String body) throws IOException {
    return send(
        "PUT "
            + target
            + " HTTP/1.1\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body);
  }

  private static RawHttp.Response post(String target, String body) throws IOException {
    return send(
        "POST "
            + target
            + " HTTP/1.1\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n"
            + body);
  }
}
