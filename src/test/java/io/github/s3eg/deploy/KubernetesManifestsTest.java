package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.list;
import static io.github.s3eg.deploy.Yaml.map;
import static io.github.s3eg.deploy.Yaml.ofKind;
import static io.github.s3eg.deploy.Yaml.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The plain manifests in k8s/, validated offline: structure, wiring, hardening, setting names; and,
 * where kubectl is installed, the kustomize build of the directory.
 */
class KubernetesManifestsTest {

  private static final Path DIR = GatewaySettings.ROOT.resolve("k8s");
  private static final Map<String, String> API_VERSIONS =
      Map.of(
          "ServiceAccount", "v1",
          "ConfigMap", "v1",
          "Secret", "v1",
          "Service", "v1",
          "Deployment", "apps/v1",
          "PodDisruptionBudget", "policy/v1",
          "NetworkPolicy", "networking.k8s.io/v1");

  @Test
  void everyManifestIsAKnownKindAndListedInTheKustomization() throws IOException {
    List<String> resources = kustomizationResources();
    List<String> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
              .toList();
    }
    // Everything but the Secret template is applied by the kustomization.
    assertThat(resources)
        .containsExactlyInAnyOrderElementsOf(
            files.stream().filter(n -> !n.equals("secret.example.yaml")).toList());
    for (Map<String, Object> doc : allDocuments()) {
      String kind = (String) doc.get("kind");
      assertThat(API_VERSIONS).as("known kinds").containsKey(kind);
      assertThat(doc.get("apiVersion"))
          .as("apiVersion of %s", kind)
          .isEqualTo(API_VERSIONS.get(kind));
      assertThat((Object) at(doc, "metadata.name")).isEqualTo("s3-encryption-gateway");
    }
  }

  @Test
  void theDeploymentIsHardenedProbedAndWired() {
    List<Map<String, Object>> docs = allDocuments();
    Map<String, Object> deployment = single(docs, "Deployment");
    WorkloadChecks.assertHardened(deployment);
    WorkloadChecks.assertProbes(deployment, "HTTP");
    WorkloadChecks.assertWiring(deployment, ofKind(docs, "Service"));
    Map<String, Object> podLabels = map(deployment, "spec.template.metadata.labels");
    for (String kind : List.of("PodDisruptionBudget", "NetworkPolicy")) {
      String path =
          kind.equals("NetworkPolicy")
              ? "spec.podSelector.matchLabels"
              : "spec.selector.matchLabels";
      assertThat(podLabels).as(kind).containsAllEntriesOf(map(single(docs, kind), path));
    }
    // envFrom names this directory's ConfigMap and the Secret of the template.
    List<Map<String, Object>> envFrom =
        list(WorkloadChecks.gatewayContainer(deployment), "envFrom");
    assertThat(envFrom)
        .extracting(e -> (Object) at(e, "configMapRef.name"))
        .contains((Object) at(single(docs, "ConfigMap"), "metadata.name"));
    assertThat(envFrom)
        .extracting(e -> (Object) at(e, "secretRef.name"))
        .contains((Object) at(single(docs, "Secret"), "metadata.name"));
    assertThat((Object) at(deployment, "spec.template.spec.serviceAccountName"))
        .isEqualTo(at(single(docs, "ServiceAccount"), "metadata.name"));
  }

  @Test
  void settingsAreRealAndSecretsStayInTheSecret() {
    List<Map<String, Object>> docs = allDocuments();
    Map<String, Object> secret = single(docs, "Secret");
    Map<String, Object> secretData = map(secret, "stringData");
    assertThat(secretData.keySet())
        .containsExactlyInAnyOrderElementsOf(WorkloadChecks.GATEWAY_SECRET_KEYS);
    assertThat(secretData.values())
        .as("the template holds placeholders only")
        .containsOnly("REPLACE_ME");
    WorkloadChecks.assertNoSecretsInConfigMaps(ofKind(docs, "ConfigMap"), List.of());

    List<String> names =
        new ArrayList<>(
            WorkloadChecks.envNames(single(docs, "Deployment"), ofKind(docs, "ConfigMap")));
    names.addAll(secretData.keySet());
    GatewaySettings.assertKnown("k8s/", names);
  }

  @Test
  void kubectlKustomizeBuildsTheDirectory() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    Assumptions.assumeTrue(
        kubectl.isPresent(), "kubectl is not installed: kustomize build not run");
    Process process =
        new ProcessBuilder(kubectl.get().toString(), "kustomize", DIR.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize: %s", output).isZero();
    List<Map<String, Object>> built = Yaml.documents(output);
    assertThat(built.stream().map(d -> (String) d.get("kind")))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ConfigMap",
            "Deployment",
            "Service",
            "PodDisruptionBudget",
            "NetworkPolicy");
    Map<String, Object> deployment = single(built, "Deployment");
    assertThat((Object) at(WorkloadChecks.gatewayContainer(deployment), "image"))
        .isEqualTo("s3-encryption-gateway:0.1.0");
    assertThat(map(deployment, "spec.template.metadata.labels"))
        .containsEntry("app.kubernetes.io/part-of", "s3-encryption-gateway");
    // Selectors are immutable on a Deployment: the common label must not enter them.
    assertThat(map(deployment, "spec.selector.matchLabels"))
        .doesNotContainKey("app.kubernetes.io/part-of");
    WorkloadChecks.assertWiring(deployment, ofKind(built, "Service"));
  }

  private static List<String> kustomizationResources() {
    Map<String, Object> kustomization =
        Yaml.documents(GatewaySettings.read(DIR.resolve("kustomization.yaml"))).get(0);
    assertThat(kustomization).containsEntry("kind", "Kustomization");
    List<String> resources = at(kustomization, "resources");
    resources.forEach(r -> assertThat(DIR.resolve(r)).as("kustomization resource").isRegularFile());
    return resources;
  }

  private static List<Map<String, Object>> allDocuments() {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (String file : kustomizationResources()) {
      docs.addAll(Yaml.documents(GatewaySettings.read(DIR.resolve(file))));
    }
    docs.addAll(Yaml.documents(GatewaySettings.read(DIR.resolve("secret.example.yaml"))));
    return docs;
  }

  static Optional<Path> onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
