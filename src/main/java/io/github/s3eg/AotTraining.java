package io.github.s3eg;

import io.github.s3eg.config.AuthConfig;
import io.github.s3eg.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * {@code java -XX:AOTCacheOutput=FILE -jar s3-encryption-gateway.jar aot-train}: the training run
 * of the JDK's ahead-of-time cache (JDK 25+, docs/operations.md "Start-up"). It starts a gateway in
 * trial mode (embedded store in a temporary directory, generated key and credentials, a free port
 * on the loopback address), sends it the common S3 requests with the AWS SDK and the health probes
 * an orchestrator sends, stops it, and removes the directory. The JVM then writes the classes it
 * loaded and linked, and the profiles of the methods it ran, into FILE; a gateway started with
 * {@code -XX:AOTCache=FILE} on the same jar and JVM starts from there instead of from the jar.
 *
 * <p>Nothing here depends on the operator's settings: the classes a gateway with a real backend
 * loads are nearly all the same ones (the SDK client, the routes, the server).
 */
final class AotTraining {

  /** Rounds of small PUT/GET pairs: enough for the methods of a request to collect profiles. */
  static final int ROUNDS = 200;

  private AotTraining() {}

  static int run(PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("s3eg-aot-training-");
    try {
      long started = System.nanoTime();
      Properties properties = GatewayMain.defaultProperties();
      GatewayConfig config =
          GatewayConfig.from(
              Map.of("DATA_DIR", dir.toString(), "LISTEN_ADDR", "127.0.0.1:0"), properties);
      int requests;
      try (Gateway gateway = Gateway.start(config)) {
        requests = train(gateway.port(), dir.resolve(AuthConfig.GENERATED_FILE));
      }
      out.printf(
          "aot-train: %d requests to a gateway in trial mode, %.1f s%n",
          requests, (System.nanoTime() - started) / 1e9);
      return 0;
    } finally {
      deleteTree(dir);
    }
  }

  /** The requests of the training; returns how many were sent. Any failure ends the run. */
  static int train(int port, Path credentialsFile) throws IOException {
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    int requests = 0;
    for (String probe : List.of("/live", "/ready", "/health")) {
      expectOk(endpoint.resolve(probe));
      requests++;
    }
    Properties credentials = new Properties();
    try (Reader in = Files.newBufferedReader(credentialsFile, StandardCharsets.UTF_8)) {
      credentials.load(in);
    }
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        credentials.getProperty("access_key"),
                        credentials.getProperty("secret_key"))))
            .build()) {
      String bucket = "aot-training";
      s3.createBucket(b -> b.bucket(bucket));
      requests++;
      byte[] small = new byte[1024];
      byte[] larger = new byte[300 * 1024];
      for (int i = 0; i < ROUNDS; i++) {
        String key = "small/" + (i % 20);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(small));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        requests += 2;
      }
      s3.putObject(b -> b.bucket(bucket).key("larger"), RequestBody.fromBytes(larger));
      s3.getObjectAsBytes(b -> b.bucket(bucket).key("larger"));
      s3.getObjectAsBytes(b -> b.bucket(bucket).key("larger").range("bytes=100000-199999"));
      s3.headObject(b -> b.bucket(bucket).key("larger"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("larger")
                  .destinationBucket(bucket)
                  .destinationKey("copy"));
      s3.listObjectsV2(b -> b.bucket(bucket));
      s3.listObjects(b -> b.bucket(bucket).prefix("small/"));
      requests += 7;
      String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("multipart")).uploadId();
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("multipart").uploadId(upload).partNumber(1),
                  RequestBody.fromBytes(larger))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("multipart")
                  .uploadId(upload)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      s3.getObjectAsBytes(b -> b.bucket(bucket).key("multipart"));
      requests += 4;
      List<ObjectIdentifier> keys =
          s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
              .map(o -> ObjectIdentifier.builder().key(o.key()).build())
              .toList();
      s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys)));
      s3.deleteBucket(b -> b.bucket(bucket));
      requests += 3;
    }
    return requests;
  }

  private static void expectOk(URI uri) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IOException(uri + " answered " + status);
      }
      try (InputStream in = connection.getInputStream()) {
        in.readAllBytes();
      }
    } finally {
      connection.disconnect();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
