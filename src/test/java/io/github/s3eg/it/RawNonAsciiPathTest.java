package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.testing.CapturedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Raw (not percent-encoded) non-ASCII bytes in the request path (issue 17 finding 6). The SDKs
 * percent-encode every such byte, but a hand-made client (curl with a raw path, a script) may not.
 * The gateway reads the raw bytes as UTF-8, in the signature check and in the key alike: a raw
 * UTF-8 path names the same key as its percent-encoded form, and raw bytes that are not UTF-8 (a
 * Latin-1 {@code é}) are refused with {@code 400 InvalidURI}, as a percent-encoded invalid UTF-8
 * sequence already was. Before, the signer read the bytes as octets and the parser as characters,
 * so a request signed for one key acted on another.
 */
class RawNonAsciiPathTest {

  private static final String BUCKET = "rawpath";

  private static GatewayFixture fixture;
  private static S3Client client;
  private static S3Client backend;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    client = fixture.defaultClient();
    backend = fixture.backend().directClient();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    backend.close();
    fixture.close();
  }

  @Test
  void rawUtf8NamesTheKeyItsSignatureCovers() throws Exception {
    // Signed for "café" (the signature's canonical URI is caf%C3%A9), sent with the raw bytes.
    byte[] body = "raw utf-8".getBytes(StandardCharsets.UTF_8);
    CapturedRequest put = signed("PUT", "/" + BUCKET + "/caf%C3%A9", body);
    RawHttp.Response r = RawHttp.send(fixture.endpoint(), put.withPath(rawBytes("caf\u00e9")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("caf\u00e9")).asUtf8String())
        .isEqualTo("raw utf-8");
    // Not the key the bytes spell when read as Latin-1 characters ("cafÃ©").
    assertThatThrownBy(() -> backend.headObject(b -> b.bucket(BUCKET).key("caf\u00c3\u00a9")))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);

    // A raw-path GET signed for "café" reads it.
    client.putObject(b -> b.bucket(BUCKET).key("na\u00efve"), RequestBody.fromString("naive"));
    CapturedRequest get = signed("GET", "/" + BUCKET + "/na%C3%AFve", new byte[0]);
    RawHttp.Response read = RawHttp.send(fixture.endpoint(), get.withPath(rawBytes("na\u00efve")));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("naive");
  }

  @Test
  void rawBytesThatAreNotUtf8AreInvalidUri() throws Exception {
    // Signed for the one-octet key "caf" + 0xE9 (what the signature check reads from raw 0xE9);
    // the key parser used to read the same byte as the character é and write "café" instead.
    CapturedRequest put = signed("PUT", "/" + BUCKET + "/latin%E9", "x".getBytes());
    byte[] latin1 = ("/" + BUCKET + "/latin\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    fixture.probe().reset();

    RawHttp.Response r =
        RawHttp.send(
            fixture.endpoint(), put.withPath(new String(latin1, StandardCharsets.ISO_8859_1)));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>InvalidURI</Code>");
    assertThat(fixture.probe().requests()).as("requests that reached the backend").isEmpty();
    assertThatThrownBy(() -> client.headObject(b -> b.bucket(BUCKET).key("latin\u00e9")))
        .isInstanceOf(NoSuchKeyException.class);

    // The percent-encoded form of the same octet was refused the same way already.
    RawHttp.Response encoded = RawHttp.send(fixture.endpoint(), put);
    assertThat(encoded.status()).isEqualTo(400);
    assertThat(encoded.body()).contains("<Code>InvalidURI</Code>");
  }

  /** The request path {@code /BUCKET/key} with the key's UTF-8 bytes raw, one char per byte. */
  private static String rawBytes(String key) {
    byte[] utf8 = ("/" + BUCKET + "/" + key).getBytes(StandardCharsets.UTF_8);
    return new String(utf8, StandardCharsets.ISO_8859_1);
  }

  /** A SigV4-signed request (unsigned payload) for the percent-encoded {@code encodedPath}. */
  private static CapturedRequest signed(String method, String encodedPath, byte[] body) {
    URI endpoint = fixture.endpoint();
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .protocol(endpoint.getScheme())
            .host(endpoint.getHost())
            .port(endpoint.getPort())
            .encodedPath(encodedPath)
            .putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsCredentialsIdentity.create(
                                GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
    return new CapturedRequest(method, encodedPath, "", headers, body);
  }
}
