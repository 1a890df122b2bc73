package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.example.yml and docker-compose.env.example, validated offline (the MinIO image
 * cannot be pulled on the project's machines): structure, wiring to MinIO, hardening, and that
 * every environment name the gateway gets is a gateway setting.
 */
class ComposeFileTest {

  private static final Path ROOT = GatewaySettings.ROOT;
  private static final String COMPOSE_TEXT =
      GatewaySettings.read(ROOT.resolve("docker-compose.example.yml"));
  private static final Map<String, Object> COMPOSE = Yaml.documents(COMPOSE_TEXT).get(0);
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

  @Test
  void runsTheGatewayImageInFrontOfMinio() {
    Map<String, Object> services = map(COMPOSE, "services");
    assertThat(services).containsOnlyKeys("minio", "gateway");
    Map<String, Object> gateway = map(services, "gateway");
    assertThat((Object) at(gateway, "build.context")).isEqualTo(".");
    assertThat(ROOT.resolve((String) at(gateway, "build.dockerfile"))).isRegularFile();
    assertThat((Object) at(gateway, "depends_on.minio.condition")).isEqualTo("service_healthy");
    assertThat((Object) at(services, "minio.healthcheck")).isNotNull();

    URI backend = URI.create((String) at(gateway, "environment.BACKEND_ENDPOINT"));
    assertThat(services).containsKey(backend.getHost());
    assertThat(backend.getPort()).isEqualTo(9000);
    assertThat((Object) at(gateway, "environment.BACKEND_PROVIDER")).isEqualTo("minio");
    // Only the gateway is published, and only on loopback.
    assertThat((List<Object>) at(gateway, "ports")).containsExactly("127.0.0.1:8080:8080");
    assertThat((Object) at(services, "minio.ports")).isNull();
  }

  @Test
  void theGatewayRunsHardened() {
    Map<String, Object> gateway = map(COMPOSE, "services.gateway");
    assertThat((String) gateway.get("user")).startsWith("10001");
    assertThat(gateway.get("read_only")).isEqualTo(true);
    assertThat((List<Object>) gateway.get("tmpfs")).contains("/tmp");
    assertThat((List<Object>) gateway.get("cap_drop")).contains("ALL");
    assertThat((List<Object>) gateway.get("security_opt")).contains("no-new-privileges:true");
  }

  @Test
  void everyEnvironmentNameIsAGatewaySetting() {
    Map<String, Object> gateway = map(COMPOSE, "services.gateway");
    assertThat((List<Object>) gateway.get("env_file")).containsExactly("docker-compose.env");
    Map<String, String> envFile = envExample();
    List<String> names = new ArrayList<>(map(gateway, "environment").keySet());
    names.addAll(envFile.keySet());
    GatewaySettings.assertKnown("docker-compose.example.yml and docker-compose.env.example", names);

    // Secrets come from the env file, never from the compose file itself.
    assertThat(map(gateway, "environment").keySet())
        .noneMatch(n -> n.matches(WorkloadChecks.SECRET_NAME.pattern()));
    assertThat(envFile.keySet()).containsAll(WorkloadChecks.GATEWAY_SECRET_KEYS);
  }

  @Test
  void everyInterpolatedVariableIsInTheEnvExample() {
    Set<String> used = new TreeSet<>();
    Matcher m = INTERPOLATION.matcher(COMPOSE_TEXT);
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(used).isNotEmpty();
    assertThat(envExample().keySet()).containsAll(used);
  }

  private static Map<String, String> envExample() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line :
        GatewaySettings.read(ROOT.resolve("docker-compose.env.example")).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      assertThat(eq).as("KEY=VALUE line: %s", trimmed).isPositive();
      values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return values;
  }
}
