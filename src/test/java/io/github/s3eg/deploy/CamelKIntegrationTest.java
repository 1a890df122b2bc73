package io.github.s3eg.deploy;

import static io.github.s3eg.deploy.Yaml.at;
import static io.github.s3eg.deploy.Yaml.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The Camel K Integration in camel-k/, validated offline: its structure, that it reads the route
 * files from the mounted ConfigMap, that those files load in Camel, and that every bean the routes
 * refer to is bound in a running gateway. {@link CamelKRuntimeTest} runs the Integration's
 * container command. No Camel K operator runs here (see camel-k/README.md).
 */
class CamelKIntegrationTest {

  private static final Path ROOT = GatewaySettings.ROOT;
  private static final Path ROUTES = ROOT.resolve("src/main/resources/routes");
  private static final Pattern BEAN_REFERENCE = Pattern.compile("#(?:bean:)?([A-Za-z][\\w-]*)");

  private final Map<String, Object> integration =
      Yaml.documents(GatewaySettings.read(ROOT.resolve("camel-k/integration.yaml"))).get(0);

  @Test
  void isASelfManagedIntegrationOnTheGatewayImage() throws IOException {
    assertThat(integration).containsEntry("apiVersion", "camel.apache.org/v1");
    assertThat(integration).containsEntry("kind", "Integration");
    // An image the operator did not build: no sources, no Maven dependencies for it to resolve.
    assertThat((Object) at(integration, "spec.sources")).isNull();
    assertThat((Object) at(integration, "spec.dependencies")).isNull();
    String pomVersion = pomVersion().replace("-SNAPSHOT", "");
    assertThat((String) at(integration, "spec.traits.container.image"))
        .endsWith("/s3-encryption-gateway:" + pomVersion);
    assertThat((Object) at(integration, "spec.traits.container.port")).isEqualTo(8080);
    assertThat((Object) at(integration, "spec.traits.container.portName")).isEqualTo("http");
    assertThat((Object) at(integration, "spec.traits.service.enabled")).isEqualTo(true);
    // The pod template patches the integration container by its name.
    String container = at(integration, "spec.traits.container.name");
    List<Map<String, Object>> containers = list(integration, "spec.template.spec.containers");
    assertThat(containers).extracting(c -> c.get("name")).containsExactly(container);
    Map<String, Object> gateway = containers.get(0);
    assertThat((Object) at(gateway, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat((Object) at(integration, "spec.template.spec.securityContext.runAsNonRoot"))
        .isEqualTo(true);
    assertThat((List<Object>) at(integration, "spec.traits.mount.emptyDirs"))
        .contains("tmp:/tmp", "data:/data");
    // Probes: the gateway's own endpoints on the container port (health trait off).
    assertThat((Object) at(integration, "spec.traits.health.enabled")).isEqualTo(false);
    assertThat((Object) at(gateway, "livenessProbe.httpGet.path")).isEqualTo("/live");
    assertThat((Object) at(gateway, "readinessProbe.httpGet.path")).isEqualTo("/ready");
    assertThat((Object) at(gateway, "startupProbe.httpGet.path")).isEqualTo("/live");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat((Object) at(gateway, probe + ".httpGet.port")).isEqualTo("http");
    }
    // Settings: the same ConfigMap and Secret as k8s/.
    assertThat(list(gateway, "envFrom"))
        .extracting(e -> at(e, "configMapRef.name") != null ? "cm" : "secret")
        .containsExactlyInAnyOrder("cm", "secret");
  }

  @Test
  void readsEveryRouteFileFromTheMountedConfigMap() {
    // The ConfigMap is made from the whole routes directory, so a new route file needs no change
    // here: the pattern takes every *.yaml under the mount.
    String mount =
        ((List<String>) at(integration, "spec.traits.mount.resources"))
            .stream()
                .filter(r -> r.startsWith("configmap:s3-encryption-gateway-routes@"))
                .map(r -> r.substring(r.indexOf('@') + 1))
                .findFirst()
                .orElseThrow();
    assertThat((List<String>) at(integration, "spec.traits.environment.vars"))
        .contains("CAMEL_MAIN_ROUTESINCLUDEPATTERN=file:" + mount + "/*.yaml");
    assertThat((Object) at(integration, "spec.traits.mount.hotReload")).isEqualTo(true);
  }

  @Test
  void theRouteFilesLoadInCamelWithTheExpectedRouteIds() throws Exception {
    Set<String> declared = new TreeSet<>();
    Set<String> directTargets = new TreeSet<>();
    for (Path file : routeFiles()) {
      for (Object element : Yaml.documentsAsObjects(GatewaySettings.read(file))) {
        for (Object item : (List<?>) element) {
          String id = at(item, "route.id");
          if (id != null) {
            declared.add(id);
          }
        }
      }
      Matcher m = Pattern.compile("to: direct:(\\w+)").matcher(GatewaySettings.read(file));
      while (m.find()) {
        directTargets.add(m.group(1));
      }
    }
    assertThat(declared).contains("s3-api", "PutObject", "GetObject", "ListBuckets");

    try (DefaultCamelContext context = new DefaultCamelContext()) {
      context.build();
      List<Resource> resources = new ArrayList<>();
      for (Path file : routeFiles()) {
        resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
      }
      PluginHelper.getRoutesLoader(context).loadRoutes(resources);
      List<RouteDefinition> loaded = ((ModelCamelContext) context).getRouteDefinitions();
      Set<String> loadedIds = new TreeSet<>();
      loaded.forEach(r -> loadedIds.add(r.getRouteId()));
      assertThat(loadedIds).isEqualTo(declared);
      // Every direct: endpoint that s3-api dispatches to is the input of a loaded route.
      Set<String> inputs = new TreeSet<>();
      loaded.forEach(r -> inputs.add(r.getInput().getEndpointUri()));
      directTargets.forEach(t -> assertThat(inputs).contains("direct:" + t));
    }
  }

  @Test
  void everyBeanTheRoutesNameIsBoundByTheGateway() throws Exception {
    Set<String> referenced = new TreeSet<>();
    for (Path file : routeFiles()) {
      for (Object doc : Yaml.documentsAsObjects(GatewaySettings.read(file))) {
        collectRefs(doc, referenced);
      }
    }
    Properties application = new Properties();
    application.load(
        new StringReader(
            GatewaySettings.read(ROOT.resolve("src/main/resources/application.properties"))));
    application.values().forEach(v -> collectReferences((String) v, referenced));
    assertThat(referenced).contains("parseRequest", "backendS3");

    // What a running gateway really has in its registry, not what its source seems to bind.
    try (io.github.s3eg.it.GatewayFixture gateway =
        io.github.s3eg.it.GatewayFixture.start(java.util.Map.of())) {
      org.apache.camel.spi.Registry registry =
          gateway.gateway().main().getCamelContext().getRegistry();
      assertThat(referenced)
          .as("beans the routes name, bound in a running gateway")
          .allSatisfy(name -> assertThat(registry.lookupByName(name)).as(name).isNotNull());
    }
  }

  @Test
  void theJarsPropertiesNameTheConfigurationClassThatAssemblesTheGateway() throws IOException {
    Properties application = new Properties();
    application.load(
        new StringReader(
            GatewaySettings.read(ROOT.resolve("src/main/resources/application.properties"))));
    assertThat(application.getProperty("camel.main.configurationClasses"))
        .isEqualTo(io.github.s3eg.GatewayConfiguration.class.getName());
  }

  private static void collectRefs(Object node, Set<String> refs) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if ("ref".equals(k) && v instanceof String s) {
              refs.add(s);
            } else {
              collectRefs(v, refs);
            }
          });
    } else if (node instanceof List<?> list) {
      list.forEach(e -> collectRefs(e, refs));
    } else if (node instanceof String s) {
      collectReferences(s, refs);
    }
  }

  private static void collectReferences(String text, Set<String> refs) {
    Matcher m = BEAN_REFERENCE.matcher(text);
    while (m.find()) {
      refs.add(m.group(1));
    }
  }

  private static List<Path> routeFiles() throws IOException {
    try (Stream<Path> s = Files.list(ROUTES)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static String pomVersion() {
    Matcher m =
        Pattern.compile(
                "<artifactId>s3-encryption-gateway</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(GatewaySettings.read(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
