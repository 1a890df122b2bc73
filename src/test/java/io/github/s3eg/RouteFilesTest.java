package io.github.s3eg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * application.properties names the route files one by one instead of {@code
 * classpath:routes/*.yaml} (a wildcard makes Camel inflate every entry of the fat jar at start-up).
 * A route file added under src/main/resources/routes but not named there would silently never load:
 * this catches it.
 */
class RouteFilesTest {

  private static final Path ROUTES = Path.of("src/main/resources/routes");

  @Test
  void everyRouteFileIsNamedByTheIncludePatternAndNothingElse() throws IOException {
    String pattern = GatewayMain.defaultProperties().getProperty("camel.main.routesIncludePattern");
    Set<String> named =
        Arrays.stream(pattern.split(",")).map(String::strip).collect(Collectors.toSet());
    Set<String> files;
    try (Stream<Path> list = Files.list(ROUTES)) {
      files =
          list.map(p -> "classpath:routes/" + p.getFileName())
              .filter(name -> name.endsWith(".yaml"))
              .collect(Collectors.toSet());
    }
    assertThat(files).as("route files in %s", ROUTES).isNotEmpty();
    assertThat(named)
        .as("camel.main.routesIncludePattern")
        .doesNotContain("classpath:routes/*.yaml");
    assertThat(named).isEqualTo(files);
  }
}
