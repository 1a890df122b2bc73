package io.github.s3eg.it;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: S3Proxy over a temporary directory, on a free loopback port, with its
 * own credentials. Tests read the backend directly through {@link #directClient()} to see what the
 * gateway really stored.
 */
public final class TestBackend implements S3Backend, AutoCloseable {

  public static final String ACCESS_KEY = "backend-access";
  public static final String SECRET_KEY = "backend-secret-0123456789";

  private final Path dir;
  private final BlobStoreContext context;
  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;

  private TestBackend(
      Path dir, BlobStoreContext context, S3Proxy proxy, String accessKey, String secretKey) {
    this.dir = dir;
    this.context = context;
    this.proxy = proxy;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  public static TestBackend start() throws Exception {
    return start(ACCESS_KEY, SECRET_KEY);
  }

  /** A backend that accepts only these credentials. */
  public static TestBackend start(String accessKey, String secretKey) throws Exception {
    Path dir = Files.createTempDirectory("s3eg-backend");
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem-nio2")
            .credentials("x", "y")
            .overrides(p)
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      Thread.sleep(5);
    }
    return new TestBackend(dir, context, proxy, accessKey, secretKey);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public Path directory() {
    return dir;
  }

  @Override
  public String accessKey() {
    return accessKey;
  }

  @Override
  public String secretKey() {
    return secretKey;
  }

  @Override
  public Map<String, String> gatewaySettings() {
    return Map.of(
        "BACKEND_ENDPOINT",
        endpoint().toString(),
        "BACKEND_ACCESS_KEY",
        accessKey,
        "BACKEND_SECRET_KEY",
        secretKey,
        "BACKEND_PROVIDER",
        "generic",
        // S3Proxy 2.9's filesystem store: multipart ETags without "-N".
        "BACKEND_MULTIPART_ETAGS",
        "false");
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
    // The store holds up to gigabytes (the 1 GiB tests): leave nothing behind in the temp dir.
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (java.io.IOException e) {
                  // best effort; a leftover file is not a test failure
                }
              });
    }
  }
}
