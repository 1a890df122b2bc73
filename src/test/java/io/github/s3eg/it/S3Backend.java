package io.github.s3eg.it;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A real S3 server that tests run against: {@link TestBackend} (S3Proxy in process, the default) or
 * {@link CephBackend} (Ceph's RADOS Gateway, for versioning, Object Lock, tagging and atomic
 * conditional writes). Tests read it directly through {@link #directClient()} to see what a gateway
 * really stored, and point a gateway at it with {@link #gatewaySettings()}.
 */
public interface S3Backend {

  URI endpoint();

  String accessKey();

  String secretKey();

  /**
   * The {@code BACKEND_*} settings a gateway needs to use this backend: its endpoint, credentials
   * and quirk preset.
   */
  Map<String, String> gatewaySettings();

  /**
   * A client that talks to the backend itself, bypassing the gateway. Path style, and checksums
   * only where S3 requires them (neither S3Proxy 2.9 nor Ceph 16.2 accept the SDK's default
   * aws-chunked bodies with checksum trailers).
   */
  default S3Client directClient() {
    return directClientBuilder().build();
  }

  /** The builder of {@link #directClient()}, for tests that change a setting. */
  default S3ClientBuilder directClientBuilder() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }
}
