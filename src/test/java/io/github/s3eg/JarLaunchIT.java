package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.it.ListeningPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The jar as the README starts it ({@code "$JAVA_HOME/bin/java" -jar
 * target/s3-encryption-gateway.jar} in a shell where nothing else was set up), run by the surefire
 * execution "jar" after {@code package} (issue 19): what a new user sees in the first hour.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JarLaunchIT {

  private static final Path JAR =
      Path.of(System.getProperty("s3eg.jar", "target/s3-encryption-gateway.jar")).toAbsolutePath();

  private static final Duration START = Duration.ofSeconds(120);

  /** A gateway process from the jar, its working directory and its combined output. */
  private record Launched(Process process, Path dir, Path log) implements AutoCloseable {

    int port() throws Exception {
      return ListeningPort.await(process, log, START);
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGTERM, as an operator's Ctrl-C or an orchestrator would; the exit status. */
    int stop() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the gateway did not stop within 60 s:\n" + output());
      }
      return process.exitValue();
    }

    S3Client client(int port) throws IOException {
      Properties generated = new Properties();
      try (InputStream in =
          Files.newInputStream(dir.resolve("data/client-credentials.properties"))) {
        generated.load(in);
      }
      return S3Client.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + port))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create(
                      generated.getProperty("access_key"), generated.getProperty("secret_key"))))
          .forcePathStyle(true)
          .build();
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * {@code java -jar} in {@code dir} with only {@code env} (and PATH, HOME, LANG) as environment.
   */
  private static Launched launch(Path java, Path dir, Map<String, String> env) throws IOException {
    assertThat(JAR).as("the jar (built by package)").exists();
    Path log = Files.createTempFile(dir, "gateway", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(java.toString(), "-jar", JAR.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("LANG", "C.UTF-8"); // as a login shell has it
    pb.environment().putAll(env);
    return new Launched(pb.start(), dir, log);
  }

  private static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static final Map<String, String> TRIAL = Map.of("LISTEN_ADDR", "127.0.0.1:0");

  @Test
  void startsWithAShortReportAndLogsItsStop(@TempDir Path dir) throws Exception {
    try (Launched gateway = launch(currentJava(), dir, TRIAL)) {
      int port = gateway.port();
      try (S3Client s3 = gateway.client(port)) {
        s3.createBucket(b -> b.bucket("first-hour"));
        s3.putObject(b -> b.bucket("first-hour").key("hello"), RequestBody.fromString("hello"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("first-hour").key("hello")).asUtf8String())
            .isEqualTo("hello");
      }
      assertThat(gateway.stop()).as("exit status after SIGTERM").isEqualTo(143);

      List<String> lines = gateway.output().lines().toList();
      assertThat(lines)
          .as("no JDK warnings (sun.misc.Unsafe, native access), no Camel banner or summary")
          .noneMatch(l -> l.startsWith("WARNING:"))
          .noneMatch(l -> l.contains("Apache Camel"))
          .noneMatch(l -> l.contains("Auto-configuration summary"))
          .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR "));
      List<String> report = new ArrayList<>();
      for (String line : lines) {
        if (!line.contains(" s3eg.access ")) {
          report.add(line.replaceFirst("^\\S+ +INFO +\\[[^]]+] s3eg\\.gateway - ", ""));
        }
      }
      String data = dir.toRealPath().resolve("data").toString();
      assertThat(report)
          .as("the whole log but the access lines")
          .containsExactly(
              "s3-encryption-gateway 0.1.0-SNAPSHOT listening on http://127.0.0.1:"
                  + port
                  + " (this machine only; LISTEN_ADDR=:"
                  + port
                  + " listens on every interface)",
              "backend: embedded S3 store in "
                  + data
                  + "/objects (trial mode, no BACKEND_ENDPOINT: not for production)",
              report.get(2),
              "clients: the generated credentials in "
                  + data
                  + "/client-credentials.properties (AUTH_ACCESS_KEY/AUTH_SECRET_KEY or"
                  + " AUTH_CREDENTIALS_FILE to choose your own)",
              "s3-encryption-gateway stopped: no request was in progress");
      assertThat(report.get(2))
          .matches(
              "keys: the generated key static-[0-9a-f]{12}:1 in "
                  + java.util.regex.Pattern.quote(data)
                  + "/gateway-kek.b64 \\(back it up: the objects cannot be read without it\\)");
    }
  }

  /**
   * The must-show of issue 19, through the jar: the key file of a store that holds objects is
   * deleted; the next start is refused with what to do; with the override it starts, and the old
   * object answers 403 EncryptionKeyNotFound, HEAD included.
   */
  @Test
  void aLostKeyFileStopsTheStartAndTheOverrideAnswersReadsWith403(@TempDir Path dir)
      throws Exception {
    try (Launched first = launch(currentJava(), dir, TRIAL)) {
      try (S3Client s3 = first.client(first.port())) {
        s3.createBucket(b -> b.bucket("kept"));
        s3.putObject(b -> b.bucket("kept").key("doc.txt"), RequestBody.fromString("precious"));
      }
      first.stop();
    }
    Path keyFile = dir.resolve("data/gateway-kek.b64");
    Files.delete(keyFile);

    try (Launched refused = launch(currentJava(), dir, TRIAL)) {
      assertThat(refused.process().waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(refused.process().exitValue()).isEqualTo(2);
      assertThat(refused.output())
          .contains(
              "s3-encryption-gateway: refusing to start: the key file "
                  + dir.toRealPath().resolve("data/gateway-kek.b64")
                  + " is missing, but the embedded store")
          .contains("holds objects encrypted under key static-")
          .contains("kept/doc.txt")
          .contains("Restore the file from your backup")
          .contains("or set ENCRYPTION_ALLOW_NEW_KEY=true to start with a new key");
      assertThat(keyFile).doesNotExist();
    }

    try (Launched allowed =
        launch(
            currentJava(),
            dir,
            Map.of("LISTEN_ADDR", "127.0.0.1:0", "ENCRYPTION_ALLOW_NEW_KEY", "true"))) {
      try (S3Client s3 = allowed.client(allowed.port())) {
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("kept").key("doc.txt")))
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(403);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EncryptionKeyNotFound");
                  assertThat(e.awsErrorDetails().errorMessage())
                      .startsWith("The object is encrypted under key static-");
                });
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("kept").key("doc.txt")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }
      allowed.stop();
    }
  }

  @Test
  void anOlderJavaIsToldWhichJavaToUse(@TempDir Path dir) throws Exception {
    Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    Assumptions.assumeTrue(
        Files.isExecutable(java17), "no Java 17 here (Debian: openjdk-17-jre-headless)");
    try (Launched old = launch(java17, dir, TRIAL)) {
      assertThat(old.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(old.process().exitValue()).isEqualTo(1);
      assertThat(old.output())
          .startsWith(
              "s3-encryption-gateway needs Java 21 or newer (25 recommended), but this is Java 17")
          .contains("export JAVA_HOME=")
          .contains("\"$JAVA_HOME/bin/java\" -jar " + JAR)
          .doesNotContain("UnsupportedClassVersionError");
    }
  }

  @Test
  void thePlainJarBesideTheShadedOneIsSmall() throws IOException {
    // A second `package` used to shade the already shaded jar: an 80 MB "original" and 2,299
    // overlap warnings. The plain jar is rebuilt each time now.
    Path original = JAR.resolveSibling("original-" + JAR.getFileName());
    assertThat(original).exists();
    assertThat(Files.size(original)).isLessThan(5L << 20);
    assertThat(Files.size(JAR)).isGreaterThan(20L << 20);
  }
}
