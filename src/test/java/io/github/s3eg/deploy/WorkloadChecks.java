package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.list;
import static io.github.s3eg.deploy.Yaml.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks shared by the Helm chart and the plain manifests: what every gateway Deployment must look
 * like, whichever way it was written.
 */
final class WorkloadChecks {

  /** Environment names that hold secrets: never in a ConfigMap. */
  static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|PASSWORD|TOKEN|PRIVATE).*");

  /** The gateway's secret settings: backend credentials, encryption password, client keys. */
  static final java.util.Set<String> GATEWAY_SECRET_KEYS =
      java.util.Set.of(
          "BACKEND_ACCESS_KEY",
          "BACKEND_SECRET_KEY",
          "ENCRYPTION_PASSWORD",
          "AUTH_ACCESS_KEY",
          "AUTH_SECRET_KEY");

  private WorkloadChecks() {}

  static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return map(deployment, "spec.template.spec");
  }

  static Map<String, Object> gatewayContainer(Map<String, Object> deployment) {
    List<Map<String, Object>> containers = list(podSpec(deployment), "containers");
    assertThat(containers).as("containers").hasSize(1);
    return containers.get(0);
  }

  /** Non-root, read-only root filesystem, no privilege escalation, no capabilities. */
  static void assertHardened(Map<String, Object> deployment) {
    Map<String, Object> pod = podSpec(deployment);
    Map<String, Object> container = gatewayContainer(deployment);
    assertThat((Object) at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat((Integer) at(pod, "securityContext.runAsUser")).isEqualTo(10001);
    assertThat((Object) at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
    assertThat((Object) at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat((Object) at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat((List<Object>) at(container, "securityContext.capabilities.drop")).contains("ALL");
    assertThat((Object) at(pod, "automountServiceAccountToken")).isEqualTo(false);
    // The only writable places: /tmp and /data, each an emptyDir.
    List<String> mounts =
        list(container, "volumeMounts").stream()
            .filter(m -> !Boolean.TRUE.equals(m.get("readOnly")))
            .map(m -> (String) m.get("mountPath"))
            .toList();
    assertThat(mounts).containsExactlyInAnyOrder("/tmp", "/data");
    for (Map<String, Object> volume : list(pod, "volumes")) {
      if (List.of("tmp", "data").contains(volume.get("name"))) {
        assertThat(volume).containsKey("emptyDir");
      }
    }
    assertThat((Object) at(container, "resources.limits.memory")).as("memory limit").isNotNull();
    assertThat((Object) at(container, "resources.requests.cpu")).as("cpu request").isNotNull();
  }

  static void assertProbes(Map<String, Object> deployment, String scheme) {
    Map<String, Object> container = gatewayContainer(deployment);
    assertThat((Object) at(container, "livenessProbe.httpGet.path")).isEqualTo("/live");
    assertThat((Object) at(container, "readinessProbe.httpGet.path")).isEqualTo("/ready");
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      assertThat((Object) at(container, probe + ".httpGet.port")).isIn("http", 8080);
      Object actualScheme = at(container, probe + ".httpGet.scheme");
      assertThat(actualScheme == null ? "HTTP" : actualScheme).isEqualTo(scheme);
    }
  }

  /** The Deployment's selector picks its own pods; each Service selects them and hits a port. */
  static void assertWiring(Map<String, Object> deployment, List<Map<String, Object>> services) {
    Map<String, Object> podLabels = map(deployment, "spec.template.metadata.labels");
    Map<String, Object> selector = map(deployment, "spec.selector.matchLabels");
    assertThat(podLabels).containsAllEntriesOf(selector);
    List<Map<String, Object>> ports = list(gatewayContainer(deployment), "ports");
    assertThat(ports).anySatisfy(p -> assertThat(p.get("containerPort")).isEqualTo(8080));
    assertThat(services).isNotEmpty();
    for (Map<String, Object> service : services) {
      assertThat(podLabels).containsAllEntriesOf(map(service, "spec.selector"));
      for (Map<String, Object> port : list(service, "spec.ports")) {
        Object target = port.getOrDefault("targetPort", port.get("port"));
        assertThat(ports)
            .as("Service %s targetPort %s", (Object) at(service, "metadata.name"), target)
            .anySatisfy(p -> assertThat(target).isIn(p.get("name"), p.get("containerPort")));
      }
    }
  }

  /** Every environment name the gateway container gets: env entries and envFrom ConfigMaps. */
  static List<String> envNames(
      Map<String, Object> deployment, List<Map<String, Object>> configMaps) {
    Map<String, Object> container = gatewayContainer(deployment);
    List<String> names = new ArrayList<>();
    list(container, "env").forEach(e -> names.add((String) e.get("name")));
    for (Map<String, Object> source : list(container, "envFrom")) {
      String name = at(source, "configMapRef.name");
      if (name != null) {
        Map<String, Object> configMap =
            configMaps.stream()
                .filter(c -> name.equals(at(c, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("envFrom names a missing ConfigMap " + name));
        Map<String, Object> data = at(configMap, "data");
        if (data != null) {
          names.addAll(data.keySet());
        }
      }
    }
    return names;
  }

  /** Env entries that take their value from a Secret: env name -> secret name. */
  static Map<String, String> secretRefs(Map<String, Object> deployment) {
    Map<String, String> refs = new java.util.TreeMap<>();
    for (Map<String, Object> env : list(gatewayContainer(deployment), "env")) {
      String secret = at(env, "valueFrom.secretKeyRef.name");
      if (secret != null) {
        assertThat((Object) at(env, "valueFrom.secretKeyRef.key")).isEqualTo(env.get("name"));
        refs.put((String) env.get("name"), secret);
      }
    }
    return refs;
  }

  /** No ConfigMap key is a secret setting, and no ConfigMap value is one of the secret values. */
  static void assertNoSecretsInConfigMaps(
      List<Map<String, Object>> configMaps, List<String> secretValues) {
    for (Map<String, Object> configMap : configMaps) {
      Map<String, Object> data = at(configMap, "data");
      if (data == null) {
        continue;
      }
      for (Map.Entry<String, Object> entry : data.entrySet()) {
        assertThat(entry.getKey())
            .as("ConfigMap %s key", (Object) at(configMap, "metadata.name"))
            .doesNotMatch(SECRET_NAME);
        assertThat(GATEWAY_SECRET_KEYS)
            .as("secret settings, in ConfigMap %s", (Object) at(configMap, "metadata.name"))
            .doesNotContain(entry.getKey());
        for (String secret : secretValues) {
          assertThat(String.valueOf(entry.getValue())).doesNotContain(secret);
        }
      }
    }
  }
}
