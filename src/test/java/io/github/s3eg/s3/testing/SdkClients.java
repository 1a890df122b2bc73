package io.github.s3eg.s3.testing;

import java.net.URI;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Real AWS SDK clients pointed at the capturing HTTP client. */
public final class SdkClients {

  public static final String ACCESS_KEY = "AKIDGATEWAYTEST0001";
  public static final String SECRET_KEY = "gateway/test+secret=0001/abcdefghijklmnop";

  private SdkClients() {}

  /**
   * An S3 client with path-style addressing.
   *
   * @param endpoint http (signed payloads) or https (the SDK then sends unsigned trailers; nothing
   *     is actually connected)
   */
  public static S3Client s3(
      CapturingHttpClient http,
      String endpoint,
      String accessKey,
      String secretKey,
      Consumer<S3ClientBuilder> customize) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(http)
            .region(Region.of("eu-central-1"))
            .endpointOverride(URI.create(endpoint))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    customize.accept(builder);
    return builder.build();
  }

  public static S3Client s3(CapturingHttpClient http, String endpoint) {
    return s3(http, endpoint, ACCESS_KEY, SECRET_KEY, b -> {});
  }

  /** S3 client that only adds checksums when an operation requires them. */
  public static S3Client s3WhenRequired(CapturingHttpClient http, String endpoint) {
    return s3(
        http,
        endpoint,
        ACCESS_KEY,
        SECRET_KEY,
        b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED));
  }

  public static S3Presigner presigner(String endpoint, String accessKey, String secretKey) {
    return S3Presigner.builder()
        .region(Region.of("eu-central-1"))
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }
}
