package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects the Go s3-encryption-gateway wrote (docs/migration.md) are recognised by their metadata:
 * refused with a pointer to the migration, and never served as plaintext, even with {@code
 * ENCRYPTION_ALLOW_PLAINTEXT_READS=true} (the bytes on the backend are its ciphertext).
 */
class GoGatewayObjectsTest {

  /** The Go gateway's metadata, full names (most providers) and one-letter names (compacted). */
  private static final Map<String, String> FULL =
      Map.of(
          "encrypted", "true",
          "encryption-algorithm", "AES256-GCM",
          "encryption-key-salt", "c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ=",
          "encryption-iv", "aXZpdml2aXZpdml2",
          "encryption-original-size", "5");

  private static final Map<String, String> COMPACT =
      Map.of("e", "true", "a", "ChaCha20-Poly1305", "s", "c2FsdA", "i", "aXY");

  @Test
  void theirObjectsAreRefusedAndNeverServedAsPlaintext() throws Exception {
    for (String allow : new String[] {"false", "true"}) {
      try (GatewayFixture g =
              GatewayFixture.start(Map.of("ENCRYPTION_ALLOW_PLAINTEXT_READS", allow));
          S3Client s3 = g.defaultClient();
          S3Client direct = g.backend().directClient()) {
        s3.createBucket(b -> b.bucket("from-go"));
        direct.putObject(
            b -> b.bucket("from-go").key("full").metadata(FULL),
            RequestBody.fromString("<go ciphertext>"));
        direct.putObject(
            b -> b.bucket("from-go").key("compact").metadata(COMPACT),
            RequestBody.fromString("<go ciphertext>"));
        for (String key : new String[] {"full", "compact"}) {
          assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("from-go").key(key)))
              .as("%s, ENCRYPTION_ALLOW_PLAINTEXT_READS=%s", key, allow)
              .isInstanceOfSatisfying(
                  S3Exception.class,
                  e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage())
                        .contains("encrypted by another gateway")
                        .contains("Go s3-encryption-gateway")
                        .contains("docs/migration.md");
                  });
          assertThatThrownBy(
                  () -> s3.getObjectAsBytes(b -> b.bucket("from-go").key(key).range("bytes=0-3")))
              .isInstanceOfSatisfying(
                  S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
          assertThatThrownBy(() -> s3.headObject(b -> b.bucket("from-go").key(key)))
              .isInstanceOfSatisfying(
                  S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        // A plaintext object beside them is still served when that is allowed.
        direct.putObject(
            b -> b.bucket("from-go").key("plain").metadata(Map.of("encrypted", "no")),
            RequestBody.fromString("plain"));
        if (allow.equals("true")) {
          assertThat(s3.getObjectAsBytes(b -> b.bucket("from-go").key("plain")).asUtf8String())
              .isEqualTo("plain");
        }
      }
    }
  }
}
