package io.github.s3eg.conformance;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The clients the Java cases use on one target, shared by all cases of a run (they are
 * thread-safe). A case sees the target's first answer, with two exceptions every S3 client makes: a
 * request that got no answer (a pooled connection the server had closed) and a {@code 503} (S3's
 * "retry this", e.g. after the gateway reused a backend connection S3Proxy had just closed) are
 * sent once more. Retries are counted ({@link #retried}) and reported.
 */
final class TargetClients implements AutoCloseable {

  /** Attempts of a request answered 503 or not at all (the SDKs' standard retry mode). */
  static final int ATTEMPTS = 3;

  final Target target;

  /** Checksums only where S3 requires them (what S3Proxy 2.9 accepts): most cases. */
  final S3Client s3;

  /** The SDK's defaults: aws-chunked bodies with CRC32 trailers, response checksum validation. */
  final S3Client s3WithDefaultChecksums;

  final S3Presigner presigner;

  /** For requests no SDK operation sends: raw paths, anonymous, hand-signed. */
  final SdkHttpClient http;

  private final SdkHttpClient sdkHttp;

  TargetClients(Target target) {
    this.target = target;
    this.http = ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build();
    this.sdkHttp = ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build();
    this.s3 =
        builder(target)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            // Content-MD5 where S3 requires a checksum (DeleteObjects), as boto3 and SDKs before
            // 2.30 send it; S3Proxy 2.9 refuses x-amz-checksum-* headers.
            .addPlugin(LegacyMd5Plugin.create())
            .build();
    this.s3WithDefaultChecksums = builder(target).build();
    this.presigner =
        S3Presigner.builder()
            .endpointOverride(target.endpoint())
            .region(Region.of(Target.REGION))
            .credentialsProvider(credentials(target))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  private software.amazon.awssdk.services.s3.S3ClientBuilder builder(Target target) {
    return S3Client.builder()
        .endpointOverride(target.endpoint())
        .region(Region.of(Target.REGION))
        .credentialsProvider(credentials(target))
        .forcePathStyle(true)
        .httpClient(sdkHttp)
        .overrideConfiguration(
            o ->
                o.apiCallTimeout(Duration.ofSeconds(90))
                    .retryStrategy(
                        StandardRetryStrategy.builder()
                            .maxAttempts(ATTEMPTS)
                            .retryOnException(this::retryable)
                            .backoffStrategy(BackoffStrategy.retryImmediately())
                            .circuitBreakerEnabled(false)
                            .build()));
  }

  /** Requests sent again: no answer, or 503. */
  final java.util.concurrent.atomic.AtomicInteger retried =
      new java.util.concurrent.atomic.AtomicInteger();

  private boolean retryable(Throwable t) {
    boolean retry = serviceUnavailable(t) || neverAnswered(t);
    if (retry) {
      retried.incrementAndGet();
    }
    return retry;
  }

  static boolean serviceUnavailable(Throwable t) {
    return t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException e
        && e.statusCode() == 503;
  }

  /** A request that failed on the connection before any answer (not an S3 error). */
  private static boolean neverAnswered(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static StaticCredentialsProvider credentials(Target target) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(target.accessKey(), target.secretKey()));
  }

  @Override
  public void close() {
    s3.close();
    s3WithDefaultChecksums.close();
    presigner.close();
    http.close();
    sdkHttp.close();
  }
}
