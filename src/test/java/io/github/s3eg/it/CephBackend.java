package io.github.s3eg.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * A second real S3 server for tests: Ceph's RADOS Gateway (Debian {@code radosgw} 16.2) on a
 * one-node cluster that {@code scripts/ceph-test-backend.sh} starts on loopback (monitor, one
 * memstore OSD, radosgw; see that script). Unlike S3Proxy it implements versioning, Object Lock,
 * tagging and atomic conditional writes; what it does and does not do is pinned by {@code
 * CephCapabilitiesTest} and written down in {@code docs/testing.md}.
 *
 * <p>One cluster per JVM, started on first use ({@link #shared()}, ~3–8 s) and stopped when the JVM
 * exits. Tests share it, so each makes its own buckets ({@link #newBucket}, {@link
 * #newVersionedBucket}, {@link #newObjectLockBucket}) and never assumes an empty server.
 *
 * <p>Without the Ceph packages the tests that need it are skipped with a message saying what to
 * install, except under {@code CI=true}, where a missing package fails them: CI installs the
 * packages ({@code .ci/run}), so a skip there would hide a broken set-up.
 */
public final class CephBackend implements S3Backend {

  private static final Logger LOG = LoggerFactory.getLogger(CephBackend.class);

  /** The programs the start script runs (Debian packages radosgw, ceph-mon, ceph-osd). */
  static final List<String> PROGRAMS =
      List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool", "curl");

  static final String PACKAGES = "radosgw ceph-mon ceph-osd curl";
  private static final Path SCRIPT = Path.of("scripts", "ceph-test-backend.sh");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
  private static final int START_ATTEMPTS = 3;

  private static CephBackend shared;
  private static RuntimeException startFailure;

  private final Process process;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;
  private final Duration startTime;
  private final AtomicInteger buckets = new AtomicInteger();
  private final String runId =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT);

  private CephBackend(Process process, Map<String, String> ready, Duration startTime) {
    this.process = process;
    this.endpoint = URI.create(ready.get("endpoint"));
    this.accessKey = ready.get("access_key");
    this.secretKey = ready.get("secret_key");
    this.startTime = startTime;
  }

  /**
   * The JVM's cluster, started on first call. Aborts the calling test (a skip) when the Ceph
   * packages are missing outside CI; throws if they are missing in CI or the cluster fails to start
   * (every later call throws the same failure at once rather than trying again).
   */
  public static synchronized CephBackend shared() {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw startFailure;
    }
    List<String> missing = PROGRAMS.stream().filter(p -> !onPath(p)).toList();
    if (!missing.isEmpty()) {
      String why =
          "Ceph RGW test backend unavailable: "
              + String.join(", ", missing)
              + " not found (apt-get install "
              + PACKAGES
              + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        startFailure = new IllegalStateException(why + "; CI must run these tests (.ci/run)");
        throw startFailure;
      }
      Assumptions.abort(why);
    }
    try {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "ceph-backend-stop"));
      return shared;
    } catch (Exception e) {
      startFailure = new IllegalStateException("Ceph RGW test backend failed to start", e);
      throw startFailure;
    }
  }

  private static CephBackend start() throws IOException, InterruptedException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IOException(SCRIPT.toAbsolutePath() + " not found (tests run from the project)");
    }
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce();
      } catch (PortTakenException e) {
        // The script picks free ports, but another process may take one before a daemon binds it.
        last = e;
        LOG.warn(
            "Ceph test backend: a port was taken during start (attempt {}), retrying", attempt);
      }
    }
    throw last;
  }

  private static CephBackend startOnce() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path errors = Files.createTempFile("s3eg-ceph-start", ".log");
    Process process =
        new ProcessBuilder("bash", SCRIPT.toString())
            .redirectError(errors.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    // A reader thread, so that a script that hangs cannot hang the test run past the timeout.
    var ready = new CompletableFuture<Map<String, String>>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (var out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("READY ")) {
                    ready.complete(fields(line.substring(6)));
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.complete(null);
            });
    Map<String, String> fields;
    try {
      fields = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      fields = null;
    }
    if (fields == null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process.destroyForcibly();
      String log = Files.readString(errors);
      Files.deleteIfExists(errors);
      if (log.contains("Address already in use")) {
        throw new PortTakenException(log);
      }
      throw new IOException("scripts/ceph-test-backend.sh did not get ready:\n" + log);
    }
    Files.deleteIfExists(errors);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("Ceph RGW test backend ready at {} in {} ms", fields.get("endpoint"), took.toMillis());
    return new CephBackend(process, fields, took);
  }

  private static Map<String, String> fields(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String field : text.trim().split(" ")) {
      int eq = field.indexOf('=');
      fields.put(field.substring(0, eq), field.substring(eq + 1));
    }
    return fields;
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Closing the script's standard input stops the cluster and removes its directory. */
  private void stop() {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.flush();
    } catch (IOException e) {
      // already closed: the script is stopping anyway
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String accessKey() {
    return accessKey;
  }

  @Override
  public String secretKey() {
    return secretKey;
  }

  /** The region the cluster answers for (RGW's default zone group accepts us-east-1 signing). */
  public String region() {
    return "us-east-1";
  }

  /** How long the cluster took to start, from launching the script to its READY line. */
  public Duration startTime() {
    return startTime;
  }

  /**
   * Without {@code Expect: 100-continue}, as the gateway's own backend client: RGW 16.2 answers it
   * for PutObject and UploadPart but not for sub-resource PUTs (tagging, retention, legal hold,
   * lock configuration), where the SDK's Apache client then waits 3 s before it sends the body.
   */
  @Override
  public S3ClientBuilder directClientBuilder() {
    return S3Backend.super
        .directClientBuilder()
        .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false));
  }

  /**
   * The {@code ceph} preset (path style, checksums only where required: RGW 16.2 answers 400 to
   * aws-chunked bodies with trailers); RGW's multipart ETags end in {@code -N}.
   */
  @Override
  public Map<String, String> gatewaySettings() {
    return Map.of(
        "BACKEND_ENDPOINT",
        endpoint.toString(),
        "BACKEND_ACCESS_KEY",
        accessKey,
        "BACKEND_SECRET_KEY",
        secretKey,
        "BACKEND_PROVIDER",
        "ceph",
        "BACKEND_MULTIPART_ETAGS",
        "true");
  }

  /**
   * A new, empty, unversioned bucket whose name starts with {@code purpose} (lower case letters,
   * digits and dashes; the rest of the name keeps it unique in this cluster).
   */
  public String newBucket(String purpose) {
    String bucket = bucketName(purpose);
    try (S3Client s3 = directClient()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /** A new bucket with versioning enabled. */
  public String newVersionedBucket(String purpose) {
    String bucket = newBucket(purpose);
    try (S3Client s3 = directClient()) {
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    return bucket;
  }

  /**
   * A new bucket created with {@code x-amz-bucket-object-lock-enabled: true} (versioning is then
   * on) and no default retention. Its locked versions cannot be removed: do not expect to empty it.
   */
  public String newObjectLockBucket(String purpose) {
    String bucket = bucketName(purpose);
    try (S3Client s3 = directClient()) {
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    }
    return bucket;
  }

  private String bucketName(String purpose) {
    if (!purpose.matches("[a-z0-9][a-z0-9-]{0,39}")) {
      throw new IllegalArgumentException("bucket purpose must be lower case, up to 40: " + purpose);
    }
    return purpose + "-" + runId + "-" + buckets.incrementAndGet();
  }

  @Override
  public String toString() {
    return "Ceph RGW at " + endpoint;
  }

  /** The start failed because a daemon could not bind its port. */
  private static final class PortTakenException extends IOException {
    PortTakenException(String log) {
      super("a port was taken while the cluster started:\n" + log);
    }
  }
}
