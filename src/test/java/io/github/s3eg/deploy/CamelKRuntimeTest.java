package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.ListeningPort;
import io.github.s3eg.it.TestBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Camel K Integration's container, run here. camel-k/integration.yaml gives the gateway's
 * container a command, environment variables and mounts; this test starts exactly that command with
 * exactly those variables, as a process on this machine, and drives it with a signed S3 client.
 * Stand-ins, and nothing else: the test classpath for the image's jar (the same classes and
 * application.properties), a directory for the routes ConfigMap (the route files, as {@code kubectl
 * create configmap --from-file=src/main/resources/routes/} would hold them, plus one new route
 * file), and the test's own settings for the gateway ConfigMap and Secret (a TestBackend as S3). No
 * operator runs here: what Camel K adds around the container (Deployment, Service, rollouts) is not
 * exercised.
 */
class CamelKRuntimeTest {

  private static final Path ROOT = GatewaySettings.ROOT;

  /** A route file that exists only in the ConfigMap, not in the jar: proves where routes load. */
  private static final String NEW_ROUTE_FILE =
      """
      - route:
          id: camelk-edit-probe
          from:
            uri: direct:camelk-edit-probe
            steps:
              - setBody:
                  constant: edited
      """;

  private final Map<String, Object> integration =
      Yaml.documents(GatewaySettings.read(ROOT.resolve("camel-k/integration.yaml"))).get(0);

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theIntegrationsContainerServesSignedRequestsWithRoutesFromTheConfigMap(
      @TempDir Path configMap, @TempDir Path data) throws Exception {
    List<String> command = containerCommand();
    int cp = command.indexOf("-cp");
    assertThat(cp).as("the command names its classpath: %s", command).isPositive();
    assertThat(command.get(0)).isEqualTo("java");
    assertThat(command.get(cp + 1))
        .as("the jar where the Dockerfile puts it")
        .isEqualTo(dockerfileJarPath());
    assertThat(command.subList(cp + 2, command.size()))
        .as("plain camel-main, no arguments: the jar's application.properties does the rest")
        .containsExactly("org.apache.camel.main.Main");

    Path routesMount = Path.of(routesMountPath());
    try (Stream<Path> files = Files.list(ROOT.resolve("src/main/resources/routes"))) {
      for (Path file : files.toList()) {
        Files.copy(file, configMap.resolve(file.getFileName()));
      }
    }
    Files.writeString(configMap.resolve("edit-probe.yaml"), NEW_ROUTE_FILE);

    try (TestBackend backend = TestBackend.start()) {
      Map<String, String> env = new LinkedHashMap<>();
      for (String var : (List<String>) at(integration, "spec.traits.environment.vars")) {
        int eq = var.indexOf('=');
        env.put(
            var.substring(0, eq),
            var.substring(eq + 1).replace(routesMount.toString(), configMap.toString()));
      }
      // The gateway ConfigMap and Secret (envFrom in the pod template).
      env.putAll(GatewayFixture.baseSettings(backend));
      // The child takes a free port itself and reports it (a port picked here could be taken
      // by someone else before the child binds it).
      env.put("LISTEN_ADDR", "127.0.0.1:0");
      // The checks below read route ids from /ready, which lists them only with this setting.
      env.put("HEALTH_DETAILS_PUBLIC", "true");
      env.put("DATA_DIR", data.toString());

      List<String> jvm = new ArrayList<>();
      jvm.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      jvm.addAll(command.subList(1, cp));
      jvm.add("-cp");
      jvm.add(System.getProperty("java.class.path"));
      jvm.add(command.get(cp + 2));
      Path log = Files.createTempFile("s3eg-camelk", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(jvm).redirectErrorStream(true).redirectOutput(log.toFile());
      // Only what the Integration sets: nothing of this JVM's environment leaks in.
      pb.environment().clear();
      pb.environment().putAll(env);
      Process process = pb.start();
      try {
        int port = ListeningPort.await(process, log, Duration.ofSeconds(90));
        awaitReady(process, port, log);
        URI endpoint = URI.create("http://127.0.0.1:" + port);

        String ready = get(endpoint.resolve("/ready"));
        assertThat(ready)
            .as("the route file added to the ConfigMap is running")
            .contains("\"route:camelk-edit-probe\":\"UP\"")
            .contains("\"route:s3-api\":\"UP\"");

        byte[] plaintext =
            "through the Camel K container command\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        try (S3Client s3 = client(endpoint);
            S3Client direct = backend.directClient()) {
          s3.createBucket(b -> b.bucket("camelk"));
          s3.putObject(b -> b.bucket("camelk").key("doc.txt"), RequestBody.fromBytes(plaintext));
          assertThat(s3.getObjectAsBytes(b -> b.bucket("camelk").key("doc.txt")).asByteArray())
              .isEqualTo(plaintext);
          byte[] stored =
              direct.getObjectAsBytes(b -> b.bucket("camelk").key("doc.txt")).asByteArray();
          assertThat(new String(stored, StandardCharsets.ISO_8859_1))
              .as("the backend holds ciphertext")
              .doesNotContain("through the Camel K container command");
        }
      } catch (AssertionError | Exception e) {
        throw new AssertionError(e.getMessage() + "\n--- gateway log ---\n" + tail(log), e);
      } finally {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        // A failure has already copied the log's tail into its message.
        Files.deleteIfExists(log);
      }
    }
  }

  /** The pod template's container that the container trait names: command then args. */
  private List<String> containerCommand() {
    String name = at(integration, "spec.traits.container.name");
    Map<String, Object> container =
        list(integration, "spec.template.spec.containers").stream()
            .filter(c -> name.equals(c.get("name")))
            .findFirst()
            .orElseThrow();
    List<String> command = new ArrayList<>((List<String>) container.get("command"));
    command.addAll((List<String>) container.get("args"));
    return command;
  }

  /** Where mount.resources puts the routes ConfigMap. */
  private String routesMountPath() {
    for (String resource : (List<String>) at(integration, "spec.traits.mount.resources")) {
      if (resource.startsWith("configmap:s3-encryption-gateway-routes@")) {
        return resource.substring(resource.indexOf('@') + 1);
      }
    }
    throw new AssertionError("no mount of the routes ConfigMap in " + integration);
  }

  static String dockerfileJarPath() {
    Matcher m =
        Pattern.compile("COPY --from=jar /s3-encryption-gateway.jar (\\S+)")
            .matcher(GatewaySettings.read(ROOT.resolve("Dockerfile")));
    assertThat(m.find()).as("the Dockerfile copies the jar").isTrue();
    return m.group(1);
  }

  /** Until GET /ready answers 200: the port opens after the routes start, checks may lag. */
  private static void awaitReady(Process process, int port, Path log) throws Exception {
    URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the gateway exited with status " + process.exitValue());
        }
        try {
          HttpRequest request =
              HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build();
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // Not listening yet.
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the gateway was not ready within 90 s");
  }

  private static String get(URI uri) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(200);
      return response.body();
    }
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
        .forcePathStyle(true)
        .build();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
