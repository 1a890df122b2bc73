package io.github.s3eg.keys.kmip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link PyKmipServer} for the whole test run (in a temporary directory removed at the
 * end), shared by every test class using this extension since each start costs one to two seconds,
 * and injects it into test methods and constructors that declare a {@code PyKmipServer} parameter.
 * Tests that stop the server must start their own with {@link PyKmipServer#start}.
 */
public final class PyKmipExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PyKmipExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PyKmipServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static PyKmipServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> Running.start(), Running.class)
        .server();
  }

  /** The running server and its directory, cleaned up when JUnit closes the root store. */
  private record Running(PyKmipServer server, Path dir) implements AutoCloseable {
    static Running start() {
      try {
        Path dir = Files.createTempDirectory("s3eg-pykmip-");
        return new Running(PyKmipServer.start(dir), dir);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start PyKMIP", e);
      }
    }

    @Override
    public void close() throws InterruptedException, IOException {
      server.close();
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
