package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.Gateway;
import io.github.s3eg.config.GatewayConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The opt-in MinIO lane: the gateway in front of a real MinIO in a container, with the {@code
 * minio} provider preset (checksum trailers on). Tagged {@code docker}, which the default build
 * excludes; run it with {@code ./mvnw verify -Dsurefire.excludedGroups=benchmark} on a machine with
 * a Docker engine. Without one it is skipped, not failed.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class MinioBackendTest {

  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2024-01-16T16-07-38Z");

  @Test
  void encryptsIntoMinio() throws Exception {
    Map<String, String> env =
        Map.of(
            "LISTEN_ADDR",
            "127.0.0.1:0",
            "BACKEND_ENDPOINT",
            MINIO.getS3URL(),
            "BACKEND_ACCESS_KEY",
            MINIO.getUserName(),
            "BACKEND_SECRET_KEY",
            MINIO.getPassword(),
            "BACKEND_PROVIDER",
            "minio",
            "AUTH_ACCESS_KEY",
            GatewayFixture.CLIENT_KEY,
            "AUTH_SECRET_KEY",
            GatewayFixture.CLIENT_SECRET,
            "ENCRYPTION_PASSWORD",
            GatewayFixture.PASSWORD);
    try (Gateway gateway = Gateway.start(GatewayConfig.from(env, new Properties()));
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + gateway.port()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
                .build()) {
      s3.createBucket(b -> b.bucket("minio-lane"));
      s3.putObject(b -> b.bucket("minio-lane").key("k"), RequestBody.fromString("through minio"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("minio-lane").key("k")).asUtf8String())
          .isEqualTo("through minio");
      assertThat(s3.listObjectsV2(b -> b.bucket("minio-lane")).contents().get(0).size())
          .isEqualTo(13);
    }
  }
}
