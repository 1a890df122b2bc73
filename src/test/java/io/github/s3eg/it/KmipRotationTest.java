package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.keys.kmip.KmipClient;
import io.github.s3eg.keys.kmip.PyKmipServer;
import io.github.s3eg.keys.ttlv.KmipEnums.RevocationReasonCode;
import io.github.s3eg.ops.RewrapCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Key rotation end to end, against a real KMIP server (PyKMIP): objects written in password mode
 * and under KEK version 1 stay readable; after a second version becomes active, {@code rewrap}
 * re-wraps every data key without touching a body; the old key is revoked in the KMIP server and
 * every object is still readable; with the KMIP server down, writes fail with 503 and /ready says
 * so.
 */
class KmipRotationTest {

  @TempDir Path dir;

  private static Map<String, String> kmipSettings(PyKmipServer kmip, String keys) {
    Map<String, String> s = new HashMap<>();
    s.put("KEY_MANAGER_ENABLED", "true");
    // The outage check below reads which check is down from /ready.
    s.put("HEALTH_DETAILS_PUBLIC", "true");
    s.put("KEY_MANAGER_PROVIDER", "kmip");
    s.put("KEY_MANAGER_DUAL_READ_WINDOW", "1");
    s.put("COSMIAN_KMS_ENDPOINT", "kmip://127.0.0.1:" + kmip.port());
    s.put("COSMIAN_KMS_TIMEOUT", "2s");
    s.put("COSMIAN_KMS_KEYS", keys);
    s.put("COSMIAN_KMS_CA_CERT", kmip.pki().caCert().toString());
    s.put("COSMIAN_KMS_CLIENT_CERT", kmip.pki().clientCert().toString());
    s.put("COSMIAN_KMS_CLIENT_KEY", kmip.pki().clientKey().toString());
    return s;
  }

  private static Map<String, String> backendBodies(S3Client direct, String bucket)
      throws Exception {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (var o : direct.listObjectsV2(b -> b.bucket(bucket)).contents()) {
      byte[] body = direct.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
      hashes.put(
          o.key(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }
    return hashes;
  }

  @Test
  void rotateRewrapRevokeAndEverythingStaysReadable() throws Exception {
    Map<String, byte[]> objects = new LinkedHashMap<>();
    Random random = new Random(3);
    for (int i = 0; i < 4; i++) {
      byte[] data = new byte[i == 3 ? 700_000 : 10_000 * (i + 1)];
      random.nextBytes(data);
      objects.put("kmip/object-" + i, data);
    }
    try (TestBackend backend = TestBackend.start();
        PyKmipServer kmip = PyKmipServer.start(dir.resolve("kmip"));
        KmipClient admin = new KmipClient(kmip.clientConfig());
        S3Client direct = backend.directClient()) {
      String v1 = admin.createAes256Key("s3eg-kek-v1");
      admin.activate(v1);

      // 1. Password mode: one object written before any key manager.
      try (GatewayFixture g = GatewayFixture.startOn(backend, Map.of());
          S3Client s3 = g.defaultClient()) {
        s3.createBucket(b -> b.bucket("rotation"));
        s3.putObject(
            b -> b.bucket("rotation").key("password-era"),
            RequestBody.fromString("written in password mode"));
      }

      // 2. KMIP version 1 active; the password stays as read fallback.
      try (GatewayFixture g = GatewayFixture.startOn(backend, kmipSettings(kmip, v1 + ":1"));
          S3Client s3 = g.defaultClient()) {
        objects.forEach(
            (k, v) -> s3.putObject(b -> b.bucket("rotation").key(k), RequestBody.fromBytes(v)));
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket("rotation").key("password-era")).asUtf8String())
            .isEqualTo("written in password mode");
        objects.forEach(
            (k, v) ->
                assertThat(s3.getObjectAsBytes(b -> b.bucket("rotation").key(k)).asByteArray())
                    .isEqualTo(v));
      }
      assertThat(direct.headObject(b -> b.bucket("rotation").key("kmip/object-0")).metadata())
          .containsEntry("s3eg-kek", v1 + ":1");
      Map<String, String> bodiesBefore = backendBodies(direct, "rotation");

      // 3. Version 2 becomes active; rewrap (the command, as an operator runs it).
      String v2 = admin.createAes256Key("s3eg-kek-v2");
      admin.activate(v2);
      Map<String, String> rotated = new HashMap<>(GatewayFixture.baseSettings(backend));
      rotated.putAll(kmipSettings(kmip, v1 + ":1," + v2 + ":2"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit =
          RewrapCommand.run(
              new String[] {"rewrap", "--bucket", "rotation"},
              GatewayFixture.config(backend, rotated),
              new PrintStream(out, true, StandardCharsets.UTF_8));
      String report = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(report).isZero();
      assertThat(report).contains("scanned=5 rewrapped=5 already-current=0");
      for (String key : bodiesBefore.keySet()) {
        assertThat(direct.headObject(b -> b.bucket("rotation").key(key)).metadata())
            .containsEntry("s3eg-kek", v2 + ":2");
      }
      assertThat(backendBodies(direct, "rotation"))
          .as("bodies are byte-identical")
          .isEqualTo(bodiesBefore);

      // A second run is idempotent.
      out.reset();
      RewrapCommand.run(
          new String[] {"rewrap", "--bucket", "rotation"},
          GatewayFixture.config(backend, rotated),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("rewrapped=0 already-current=5");

      // 4. Version 1 is revoked in the KMIP server and dropped from the configuration.
      admin.revoke(v1, RevocationReasonCode.SUPERSEDED);
      try (GatewayFixture g = GatewayFixture.startOn(backend, kmipSettings(kmip, v2 + ":2"));
          S3Client s3 = g.defaultClient()) {
        objects.forEach(
            (k, v) ->
                assertThat(s3.getObjectAsBytes(b -> b.bucket("rotation").key(k)).asByteArray())
                    .isEqualTo(v));
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket("rotation").key("password-era")).asUtf8String())
            .isEqualTo("written in password mode");
        assertThat(s3.headObject(b -> b.bucket("rotation").key("kmip/object-3")).eTag())
            .doesNotContain("-");

        // 5. The KMIP server goes away: writes fail fast with 503, /ready reports the key manager.
        kmip.stop();
        assertThatThrownBy(
                () ->
                    s3.putObject(
                        b -> b.bucket("rotation").key("during-outage"),
                        RequestBody.fromString("x")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        assertThatThrownBy(() -> direct.headObject(b -> b.bucket("rotation").key("during-outage")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        try (HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
          HttpResponse<String> ready =
              http.send(
                  HttpRequest.newBuilder(URI.create(g.endpoint() + "/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(ready.body()).contains("\"keys\":\"DOWN\"");
        }
        // Data keys unwrapped a moment ago are cached: reads of those objects keep working.
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket("rotation").key("kmip/object-1")).asByteArray())
            .isEqualTo(objects.get("kmip/object-1"));
      }
    }
  }
}
