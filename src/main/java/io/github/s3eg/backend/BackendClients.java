package io.github.s3eg.backend;

import io.github.s3eg.config.BackendConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The two S3 clients the gateway talks to its backend with, sharing one HTTP connection pool.
 *
 * <ul>
 *   <li>{@link #s3()} retries idempotent calls (GET, HEAD, LIST, DELETE, copy, complete) with
 *       backoff within a bounded budget.
 *   <li>{@link #uploads()} never retries: its request bodies are live client streams that cannot be
 *       replayed, and an SDK retry would only hide the first error behind "cannot reset".
 * </ul>
 *
 * <p>Both share the timeouts: {@code BACKEND_CONNECT_TIMEOUT_MS} to connect (and to wait for a
 * pooled connection), {@code BACKEND_TIMEOUT} for a backend that stays silent while the gateway
 * waits for an answer or a body, and the same for a backend that stops taking an upload ({@link
 * StalledUploadGuard}).
 *
 * <p>Checksum trailers are sent only to backends known to accept them (see {@code
 * BACKEND_PROVIDER}); S3Proxy 2.9.0 and older Ceph refuse aws-chunked bodies with trailers.
 */
public final class BackendClients implements AutoCloseable {

  /** First retry after 50–100 ms, doubling: 3 retries add at most 0.7 s. */
  static final Duration RETRY_BASE_DELAY = Duration.ofMillis(100);

  /** After SlowDown/503 the first retry waits 250–500 ms, doubling: 3 retries, at most 3.5 s. */
  static final Duration THROTTLED_RETRY_BASE_DELAY = Duration.ofMillis(500);

  static final Duration RETRY_MAX_DELAY = Duration.ofSeconds(20);

  private final S3Client s3;
  private final S3Client uploads;
  private final boolean acceptsChecksumHeaders;
  private final java.util.function.Function<String, ForwardedRequests> forwarded;
  private final java.util.function.Function<String, DirectObjectReads> reads;
  private final AutoCloseable resources;

  private BackendClients(
      S3Client s3,
      S3Client uploads,
      boolean acceptsChecksumHeaders,
      java.util.function.Function<String, ForwardedRequests> forwarded,
      java.util.function.Function<String, DirectObjectReads> reads,
      AutoCloseable resources) {
    this.acceptsChecksumHeaders = acceptsChecksumHeaders;
    this.forwarded = forwarded;
    this.reads = reads;
    this.s3 = s3;
    this.uploads = uploads;
    this.resources = resources;
  }

  /**
   * {@code BACKEND2_*}: clients that send each request to {@code first} or {@code second} by its
   * bucket ({@link BucketRouting}); closing them closes both.
   */
  public static BackendClients routed(
      BackendClients first, BackendClients second, io.github.s3eg.config.SecondBackend routing) {
    return new BackendClients(
        BucketRouting.between(first.s3(), second.s3(), routing),
        BucketRouting.between(first.uploads(), second.uploads(), routing),
        first.acceptsChecksumHeaders() && second.acceptsChecksumHeaders(),
        bucket -> routing.holds(bucket) ? second.forwarded(bucket) : first.forwarded(bucket),
        bucket -> routing.holds(bucket) ? second.reads(bucket) : first.reads(bucket),
        () -> {
          try {
            first.close();
          } finally {
            second.close();
          }
        });
  }

  /**
   * Builds clients for {@code config}, reaching {@code endpoint} (the embedded one if configured
   * so).
   */
  public static BackendClients create(
      BackendConfig config, URI endpoint, AwsCredentialsProvider credentials) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("s3eg-upload-guard").daemon().factory());
    SdkHttpClient http =
        new StalledUploadGuard(
            new OneLineHeaders(
                ConnectionBuffers.enlarge(
                    (ApacheHttpClient)
                        ApacheHttpClient.builder()
                            .maxConnections(config.maxConnections())
                            .connectionTimeout(config.connectTimeout())
                            .socketTimeout(config.requestTimeout())
                            .connectionAcquisitionTimeout(config.connectTimeout())
                            .expectContinueEnabled(false)
                            .build())),
            config.requestTimeout(),
            timer);
    // Half jitter: each retry waits between half and all of its exponential delay. The SDK's
    // default (full jitter) may retry at once, which gives a struggling backend no room.
    RetryStrategy retrying =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(config.maxRetries() + 1)
            .backoffStrategy(
                BackoffStrategy.exponentialDelayHalfJitter(RETRY_BASE_DELAY, RETRY_MAX_DELAY))
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelayHalfJitter(
                    THROTTLED_RETRY_BASE_DELAY, RETRY_MAX_DELAY))
            .build();
    S3Client s3 =
        builder(config, endpoint, credentials, http)
            .overrideConfiguration(o -> o.retryStrategy(retrying))
            .build();
    S3Client uploads =
        builder(config, endpoint, credentials, http)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    ForwardedRequests forwarded =
        new ForwardedRequests(http, endpoint, config.pathStyle(), config.region(), credentials, s3);
    // The same retry strategy object as s3(): the same attempts, backoff and retry quota.
    DirectObjectReads reads =
        new DirectObjectReads(
            http,
            new BackendAddress(endpoint, config.pathStyle()),
            config.region(),
            credentials,
            retrying);
    return new BackendClients(
        s3,
        uploads,
        !config.embedded() && config.provider().acceptsChecksumTrailers(),
        bucket -> forwarded,
        bucket -> reads,
        () -> {
          http.close();
          timer.shutdownNow();
        });
  }

  /**
   * Credentials from the configuration, else the SDK's default chain (environment, profile, IMDS).
   */
  public static AwsCredentialsProvider credentials(BackendConfig config) {
    if (config.accessKey().isPresent() && config.secretKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** The second backend's credentials, else the SDK's default chain. */
  public static AwsCredentialsProvider credentials(io.github.s3eg.config.SecondBackend config) {
    return credentials(config.accessKey(), config.secretKey());
  }

  /** The mirror's credentials, else the SDK's default chain. */
  public static AwsCredentialsProvider credentials(io.github.s3eg.config.MirrorBackend config) {
    return credentials(config.accessKey(), config.secretKey());
  }

  private static AwsCredentialsProvider credentials(
      java.util.Optional<String> accessKey, java.util.Optional<String> secretKey) {
    if (accessKey.isPresent() && secretKey.isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static S3ClientBuilder builder(
      BackendConfig config, URI endpoint, AwsCredentialsProvider credentials, SdkHttpClient http) {
    boolean trailers = !config.embedded() && config.provider().acceptsChecksumTrailers();
    S3ClientBuilder builder = S3Client.builder();
    if (config.unsignedPayload()) {
      builder.putAuthScheme(UnsignedPayloadSigner.authScheme());
    }
    return builder
        .endpointOverride(endpoint)
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.pathStyle())
        .httpClient(http)
        .requestChecksumCalculation(
            trailers
                ? RequestChecksumCalculation.WHEN_SUPPORTED
                : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  public S3Client s3() {
    return s3;
  }

  /**
   * Whether the backend accepts {@code x-amz-checksum-*} headers. The SDK adds one to operations
   * that S3 requires a checksum for (DeleteObjects) even when told to send checksums only when
   * required; S3Proxy 2.9 and older Ceph answer 501 to it.
   */
  public boolean acceptsChecksumHeaders() {
    return acceptsChecksumHeaders;
  }

  public S3Client uploads() {
    return uploads;
  }

  /** Configuration requests (ACLs, policy, CORS, …) sent to the backend as the client sent them. */
  public ForwardedRequests forwarded(String bucket) {
    return forwarded.apply(bucket);
  }

  /** GET and HEAD of an object without the SDK's request pipeline (same answers, less CPU). */
  public DirectObjectReads reads(String bucket) {
    return reads.apply(bucket);
  }

  @Override
  public void close() {
    s3.close();
    uploads.close();
    try {
      resources.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
