package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What an upload's body looks like on the way to a plain-HTTP backend: {@code UNSIGNED-PAYLOAD}
 * (one SHA-256 pass over the ciphertext less) where {@code BACKEND_UNSIGNED_PAYLOAD} allows it, the
 * SDK's signed aws-chunked body where it does not; the request is signed either way, and the
 * backend stores what the client reads back.
 */
class BackendPayloadSigningTest {

  private static final int SIZE = 3 * 1024 * 1024 + 17;

  @Test
  void loopbackBackendGetsUnsignedPayloadBySignedRequest() throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(Map.of())) {
      CountingProxy.SeenRequest put = putAndReadBack(fixture);
      assertThat(put.header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
      assertThat(put.header("content-encoding")).isNull();
      assertThat(put.header("content-length")).isNotNull();
      assertThat(put.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=");
    }
  }

  @Test
  void payloadSignedWhenTheSettingSaysSo() throws Exception {
    try (GatewayFixture fixture =
        GatewayFixture.start(Map.of("BACKEND_UNSIGNED_PAYLOAD", "false"))) {
      CountingProxy.SeenRequest put = putAndReadBack(fixture);
      assertThat(put.header("x-amz-content-sha256"))
          .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    }
  }

  /** Uploads a body larger than the spool limit, reads it back, returns the backend's PUT. */
  private static CountingProxy.SeenRequest putAndReadBack(GatewayFixture fixture) {
    byte[] body = new byte[SIZE];
    new Random(20).nextBytes(body);
    S3Client s3 = fixture.whenRequiredClient();
    s3.createBucket(b -> b.bucket("signing"));
    fixture.probe().reset();
    s3.putObject(b -> b.bucket("signing").key("big"), RequestBody.fromBytes(body));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("signing").key("big")).asByteArray())
        .isEqualTo(body);
    List<CountingProxy.SeenRequest> puts =
        fixture.probe().requests().stream()
            .filter(r -> r.method().equals("PUT") && r.target().startsWith("/signing/big"))
            .filter(r -> r.header("x-amz-copy-source") == null)
            .toList();
    assertThat(puts).hasSize(1);
    return puts.get(0);
  }
}
