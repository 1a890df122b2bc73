package io.github.s3eg.s3.body;

import static io.github.s3eg.s3.testing.S3Errors.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.auth.AuthResult;
import io.github.s3eg.s3.auth.Authenticator;
import io.github.s3eg.s3.auth.CredentialStore;
import io.github.s3eg.s3.auth.CredentialsFile;
import io.github.s3eg.s3.auth.S3Action;
import io.github.s3eg.s3.auth.SignedRequest;
import io.github.s3eg.s3.testing.CapturedRequest;
import io.github.s3eg.s3.testing.CapturingHttpClient;
import io.github.s3eg.s3.testing.SdkClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The per-request sequence the gateway's first processor runs — authenticate, authorize, wrap the
 * body — with keys from a credentials file and requests from the AWS SDK.
 */
class GatewayFlowTest {

  private static final CredentialStore STORE =
      CredentialStore.of(
          CredentialsFile.parse(
              """
              credentials:
                - accessKey: photo-reader
                  secretKey: "reader-secret"
                  buckets: [photos]
                  permission: read
                - accessKey: log-writer
                  secretKey: "writer-secret"
                  buckets: [logs]
                  permission: write
              """,
              "inline"));

  private final CapturingHttpClient http = new CapturingHttpClient();

  @Test
  void readerMayReadItsBucketOnly() throws Exception {
    try (S3Client reader = client("photo-reader", "reader-secret")) {
      reader.getObject(r -> r.bucket("photos").key("cat.jpg"), ResponseTransformer.toBytes());
      handle(http.last(), "photos", "cat.jpg");

      reader.getObject(r -> r.bucket("logs").key("app.log"), ResponseTransformer.toBytes());
      assertS3Error(() -> handle(http.last(), "logs", "app.log"), S3ErrorCode.ACCESS_DENIED);

      reader.putObject(r -> r.bucket("photos").key("dog.jpg"), RequestBody.fromString("woof"));
      assertS3Error(() -> handle(http.last(), "photos", "dog.jpg"), S3ErrorCode.ACCESS_DENIED);
    }
  }

  @Test
  void writerMayWriteButNotAdminister() throws Exception {
    try (S3Client writer = client("log-writer", "writer-secret")) {
      writer.putObject(r -> r.bucket("logs").key("app.log"), RequestBody.fromString("line 1\n"));
      assertThat(handle(http.last(), "logs", "app.log")).isEqualTo("line 1\n");

      writer.createBucket(r -> r.bucket("logs"));
      assertS3Error(() -> handle(http.last(), "logs", null), S3ErrorCode.ACCESS_DENIED);
    }
  }

  /** What the lead's processor does with one request; returns the verified body as text. */
  private static String handle(CapturedRequest captured, String bucket, String key)
      throws Exception {
    Authenticator auth =
        Authenticator.builder(STORE)
            .clock(Clock.fixed(captured.signedAt(), ZoneOffset.UTC))
            .build();
    SignedRequest request = captured.signedRequest();

    AuthResult result = auth.authenticate(request);
    result.principal().authorize(S3Action.classify(request.method(), bucket, key), bucket);
    if (request.method().equals("PUT") || request.method().equals("POST")) {
      try (var body = RequestBodies.open(result, request, captured.bodyStream()).stream()) {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private S3Client client(String accessKey, String secretKey) {
    return SdkClients.s3(http, "http://localhost:9000", accessKey, secretKey, b -> {});
  }
}
