package io.github.s3eg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.github.s3eg.crypto.ObjectMetadata;
import io.github.s3eg.it.ExampleFolder;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import io.github.s3eg.it.faults.FaultProxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The {@code examples/mirror-writes} example: the primary backend behind a {@link FaultProxy}, a
 * mirror with its own credentials ({@code BACKEND_MIRROR_*}). A PUT stores the same ciphertext and
 * metadata (one data key) on both; a DELETE removes it from both; when the primary answers {@code
 * 500} (the proxy sent to a server that answers nothing else) or refuses connections, GET and HEAD
 * are answered from the mirror.
 */
class MirrorWritesExampleTest {

  private static final String BUCKET = "mirrored";
  private static final byte[] TEXT =
      "a line of plaintext the two backends hold only as ciphertext\n"
          .repeat(300)
          .getBytes(StandardCharsets.UTF_8);

  private static TestBackend primary;
  private static TestBackend mirror;
  private static FaultProxy primaryLink;
  private static HttpServer failing;
  private static S3Client directPrimary;
  private static S3Client directMirror;
  private static GatewayFixture gateway;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    primary = TestBackend.start();
    mirror = TestBackend.start("mirror-access", "mirror-secret-0123456789");
    primaryLink = FaultProxy.start(primary.endpoint());
    failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    failing.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
          byte[] error =
              "<Error><Code>InternalError</Code><Message>down</Message></Error>"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/xml");
          boolean head = exchange.getRequestMethod().equals("HEAD");
          exchange.sendResponseHeaders(500, head ? -1 : error.length);
          if (!head) {
            exchange.getResponseBody().write(error);
          }
          exchange.close();
        });
    failing.start();
    directPrimary = primary.directClient();
    directMirror = mirror.directClient();
    Map<String, String> settings = new HashMap<>();
    settings.put("BACKEND_ENDPOINT", primaryLink.endpoint().toString());
    settings.put("BACKEND_MIRROR_ENDPOINT", mirror.endpoint().toString());
    settings.put("BACKEND_MIRROR_ACCESS_KEY", mirror.accessKey());
    settings.put("BACKEND_MIRROR_SECRET_KEY", mirror.secretKey());
    gateway =
        GatewayFixture.startOn(
            primary, settings, ExampleFolder.named("mirror-writes").camelProperties());
    s3 = gateway.whenRequiredClient();
    directPrimary.createBucket(b -> b.bucket(BUCKET));
    directMirror.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterEach
  void primaryBack() {
    primaryLink.passThrough().forwardTo("127.0.0.1", primary.endpoint().getPort());
    primaryLink.resetAll();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c :
        new AutoCloseable[] {
          s3, gateway, directPrimary, directMirror, primaryLink, primary, mirror
        }) {
      if (c != null) {
        c.close();
      }
    }
    if (failing != null) {
      failing.stop(0);
    }
  }

  @Test
  void aPutStoresTheSameCiphertextOnBoth() {
    s3.putObject(b -> b.bucket(BUCKET).key("same.txt"), RequestBody.fromBytes(TEXT));

    byte[] onPrimary =
        directPrimary.getObjectAsBytes(b -> b.bucket(BUCKET).key("same.txt")).asByteArray();
    byte[] onMirror =
        directMirror.getObjectAsBytes(b -> b.bucket(BUCKET).key("same.txt")).asByteArray();
    assertThat(onMirror).isEqualTo(onPrimary);
    assertThat(new String(onMirror, StandardCharsets.ISO_8859_1)).doesNotContain("a line of");
    Map<String, String> primaryMeta =
        directPrimary.headObject(b -> b.bucket(BUCKET).key("same.txt")).metadata();
    Map<String, String> mirrorMeta =
        directMirror.headObject(b -> b.bucket(BUCKET).key("same.txt")).metadata();
    assertThat(mirrorMeta).isEqualTo(primaryMeta).containsKey(ObjectMetadata.DEK);
  }

  @Test
  void aDeleteRemovesItFromBoth() {
    s3.putObject(b -> b.bucket(BUCKET).key("gone.txt"), RequestBody.fromBytes(TEXT));
    s3.deleteObject(b -> b.bucket(BUCKET).key("gone.txt"));

    for (S3Client direct : new S3Client[] {directPrimary, directMirror}) {
      assertThat(catchThrowable(() -> direct.headObject(b -> b.bucket(BUCKET).key("gone.txt"))))
          .isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void readsComeFromTheMirrorWhenThePrimaryAnswers500() {
    s3.putObject(b -> b.bucket(BUCKET).key("five-hundred.txt"), RequestBody.fromBytes(TEXT));
    primaryLink.forwardTo("127.0.0.1", failing.getAddress().getPort());
    primaryLink.resetAll();

    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("five-hundred.txt")).asByteArray())
        .isEqualTo(TEXT);
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("five-hundred.txt")).contentLength())
        .isEqualTo(TEXT.length);
  }

  @Test
  void readsComeFromTheMirrorWhenThePrimaryIsDown() {
    s3.putObject(b -> b.bucket(BUCKET).key("down.txt"), RequestBody.fromBytes(TEXT));
    primaryLink.refuse();

    assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("down.txt")).asByteArray())
        .isEqualTo(TEXT);
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("down.txt")).contentLength())
        .isEqualTo(TEXT.length);
  }
}
