package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.list;
import static io.github.s3eg.deploy.Yaml.map;
import static io.github.s3eg.deploy.Yaml.ofKind;
import static io.github.s3eg.deploy.Yaml.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart in helm/s3-encryption-gateway, linted and rendered offline by Helm's own code
 * (helm-java), with the default values and with ci/full-values.yaml (every feature on).
 */
class HelmChartTest {

  private static final Path CHART = GatewaySettings.ROOT.resolve("helm/s3-encryption-gateway");
  private static final Path FULL_VALUES = CHART.resolve("ci/full-values.yaml");
  private static final String FULLNAME = "s3eg-s3-encryption-gateway";
  private static final List<String> FULL_SECRET_VALUES =
      List.of(
          "test-backend-access-key-AKIA",
          "test-backend-secret-key-value",
          "test-encryption-password-value",
          "test-client-access-key",
          "test-client-secret-key-value");

  @Test
  void lintPassesWithDefaultAndFullValues() {
    LintResult defaults = new Helm(CHART).lint().strict().call();
    assertThat(defaults.isFailed()).as("helm lint --strict: %s", defaults.getMessages()).isFalse();
    // helm lint takes no values file in helm-java; the full values are checked by rendering.
    assertThat(render(UnaryOperator.identity())).isNotEmpty();
    assertThat(render(t -> t.withValuesFile(FULL_VALUES))).isNotEmpty();
  }

  @Test
  void defaultValuesRenderAHardenedGateway() {
    List<Map<String, Object>> docs = render(UnaryOperator.identity());
    assertThat(docs.stream().map(d -> (String) d.get("kind")))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ConfigMap",
            "Service",
            "Deployment",
            "PodDisruptionBudget",
            "NetworkPolicy");
    Map<String, Object> deployment = single(docs, "Deployment");
    WorkloadChecks.assertHardened(deployment);
    WorkloadChecks.assertProbes(deployment, "HTTP");
    WorkloadChecks.assertWiring(deployment, ofKind(docs, "Service"));
    assertThat((Integer) at(deployment, "spec.replicas")).isEqualTo(2);
    assertThat((Object) at(deployment, "spec.template.spec.serviceAccountName"))
        .isEqualTo(FULLNAME);
    // No secret values given: no Secret, no secret references.
    assertThat(WorkloadChecks.secretRefs(deployment)).isEmpty();
    Map<String, Object> configData = map(single(docs, "ConfigMap"), "data");
    assertThat(configData)
        .containsEntry("LISTEN_ADDR", ":8080")
        .containsEntry("DATA_DIR", "/data")
        .doesNotContainKey("BACKEND_ENDPOINT"); // empty values are left out
    GatewaySettings.assertKnown(
        "the chart's default values",
        WorkloadChecks.envNames(deployment, ofKind(docs, "ConfigMap")));
    Map<String, Object> policy = single(docs, "NetworkPolicy");
    assertThat((List<Object>) at(policy, "spec.policyTypes")).containsExactly("Ingress");
    assertThat((Object) at(policy, "spec.podSelector.matchLabels"))
        .isEqualTo(at(deployment, "spec.selector.matchLabels"));
  }

  @Test
  void fullValuesRenderEveryFeatureWithSecretsOnlyInTheSecret() {
    String text = renderText(t -> t.withValuesFile(FULL_VALUES));
    List<Map<String, Object>> docs = Yaml.documents(text);
    assertThat(docs.stream().map(d -> (String) d.get("kind")))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "Secret",
            "ConfigMap",
            "Service",
            "Deployment",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "ServiceMonitor");
    Map<String, Object> deployment = single(docs, "Deployment");
    WorkloadChecks.assertHardened(deployment);
    WorkloadChecks.assertProbes(deployment, "HTTPS");
    WorkloadChecks.assertWiring(deployment, ofKind(docs, "Service"));
    assertThat(map(deployment, "spec")).doesNotContainKey("replicas"); // the HPA owns it
    assertThat((Object) at(WorkloadChecks.gatewayContainer(deployment), "image"))
        .isEqualTo("registry.example.com/s3-encryption-gateway:0.1.0");

    // Secrets: plaintext nowhere in the output; base64 in the Secret; referenced by key.
    for (String secret : FULL_SECRET_VALUES) {
      assertThat(text).doesNotContain(secret);
    }
    Map<String, Object> secretData = map(single(docs, "Secret"), "data");
    assertThat(secretData)
        .containsOnlyKeys(WorkloadChecks.GATEWAY_SECRET_KEYS.toArray(String[]::new));
    assertThat(decode(secretData.get("ENCRYPTION_PASSWORD")))
        .isEqualTo("test-encryption-password-value");
    assertThat(WorkloadChecks.secretRefs(deployment))
        .containsOnlyKeys(WorkloadChecks.GATEWAY_SECRET_KEYS.toArray(String[]::new))
        .allSatisfy((env, secret) -> assertThat(secret).isEqualTo(FULLNAME));
    WorkloadChecks.assertNoSecretsInConfigMaps(ofKind(docs, "ConfigMap"), FULL_SECRET_VALUES);

    // KMS client certificate and server TLS: Secrets mounted read-only, paths in the ConfigMap.
    Map<String, Object> configData = map(single(docs, "ConfigMap"), "data");
    assertThat(configData)
        .containsEntry("KEY_MANAGER_ENABLED", "true")
        .containsEntry("COSMIAN_KMS_ENDPOINT", "https://kms.example.com:5696")
        .containsEntry("COSMIAN_KMS_CLIENT_CERT", "/etc/s3eg/kms/tls.crt")
        .containsEntry("TLS_CERT_FILE", "/etc/s3eg/tls/tls.crt");
    assertThat(list(WorkloadChecks.podSpec(deployment), "volumes"))
        .anySatisfy(
            v -> assertThat((Object) at(v, "secret.secretName")).isEqualTo("s3eg-kms-client"))
        .anySatisfy(v -> assertThat((Object) at(v, "secret.secretName")).isEqualTo("s3eg-tls"));
    GatewaySettings.assertKnown(
        "helm/s3-encryption-gateway/ci/full-values.yaml",
        WorkloadChecks.envNames(deployment, ofKind(docs, "ConfigMap")));

    Map<String, Object> hpa = single(docs, "HorizontalPodAutoscaler");
    assertThat((Object) at(hpa, "spec.scaleTargetRef.name")).isEqualTo(FULLNAME);
    assertThat((Integer) at(hpa, "spec.minReplicas")).isEqualTo(3);
    assertThat((Integer) at(hpa, "spec.maxReplicas")).isEqualTo(12);
    assertThat((Object) at(single(docs, "PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(2);
    assertThat((List<Object>) at(single(docs, "NetworkPolicy"), "spec.policyTypes"))
        .containsExactly("Ingress", "Egress");
    Map<String, Object> monitor = single(docs, "ServiceMonitor");
    assertThat((Object) at(monitor, "spec.selector.matchLabels"))
        .isEqualTo(at(deployment, "spec.selector.matchLabels"));
    assertThat(list(monitor, "spec.endpoints").get(0))
        .containsEntry("path", "/metrics")
        .containsEntry("port", "http");
  }

  @Test
  void anExistingSecretIsReferencedAndNoSecretIsRendered() {
    List<Map<String, Object>> docs =
        render(t -> t.set("secrets.existingSecret", "gateway-credentials"));
    assertThat(ofKind(docs, "Secret")).isEmpty();
    Map<String, Object> deployment = single(docs, "Deployment");
    assertThat(WorkloadChecks.secretRefs(deployment))
        .containsOnlyKeys(WorkloadChecks.GATEWAY_SECRET_KEYS.toArray(String[]::new))
        .allSatisfy((env, secret) -> assertThat(secret).isEqualTo("gateway-credentials"));
  }

  @Test
  void aSecretSettingInTheConfigMapIsRefused() {
    assertThatThrownBy(() -> render(t -> t.set("config.BACKEND_SECRET_KEY", "oops")))
        .hasMessageContaining("BACKEND_SECRET_KEY is a secret setting");
    assertThatThrownBy(() -> render(t -> t.set("config.ENCRYPTION_PASSWORD", "oops")))
        .hasMessageContaining("ENCRYPTION_PASSWORD is a secret setting");
  }

  @Test
  void tcpProbesForBuildsWithoutHealthEndpoints() {
    Map<String, Object> container =
        WorkloadChecks.gatewayContainer(
            single(render(t -> t.set("probes.type", "tcp")), "Deployment"));
    assertThat((Object) at(container, "livenessProbe.tcpSocket.port")).isEqualTo("http");
    assertThat((Object) at(container, "readinessProbe.tcpSocket.port")).isEqualTo("http");
  }

  private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> options) {
    return Yaml.documents(renderText(options));
  }

  private static String renderText(UnaryOperator<TemplateCommand> options) {
    return options
        .apply(
            new Helm(CHART)
                .template()
                .withName("s3eg")
                .withNamespace("storage")
                .withKubeVersion("1.30.0"))
        .call();
  }

  private static String decode(Object base64) {
    return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
  }
}
