package io.github.s3eg.backend;

import io.github.s3eg.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An in-process S3 server (S3Proxy over a directory) that the gateway uses as its backend when no
 * {@code BACKEND_ENDPOINT} is configured, so that {@code java -jar} works on a fresh machine.
 *
 * <p>It listens on a free loopback port only, with credentials generated for this run, so nothing
 * but the gateway itself can reach it.
 */
public final class EmbeddedBackend implements AutoCloseable {

  private final BlobStoreContext blobStoreContext;
  private final S3Proxy server;
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;

  private EmbeddedBackend(
      BlobStoreContext context, S3Proxy server, URI endpoint, AwsCredentialsProvider credentials) {
    this.blobStoreContext = context;
    this.server = server;
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /** Sub-directory of the data directory that holds the store (buckets are its directories). */
  public static final String STORE_DIR = "objects";

  /**
   * Starts the store under {@code dataDir}/{@value #STORE_DIR}, apart from the gateway's own files
   * (generated credentials and key) that also live in the data directory.
   */
  public static EmbeddedBackend start(Path dataDir) {
    quietGuice();
    Path storeDir = dataDir.resolve(STORE_DIR);
    try {
      // Every object of the store lives below: readable by the gateway's user only (S3Proxy creates
      // buckets and objects with the umask's permissions).
      PrivateFiles.createDirectories(storeDir);
      PrivateFiles.restrictDirectory(storeDir);
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", storeDir.toAbsolutePath().toString());
      BlobStoreContext context =
          ContextBuilder.newBuilder("filesystem-nio2")
              .credentials("embedded", "embedded")
              .overrides(properties)
              .build(BlobStoreContext.class);
      String identity = "embedded-" + randomHex(8);
      String credential = randomHex(24);
      S3Proxy server =
          S3Proxy.builder()
              .blobStore(new FailedWriteSweeper(context.getBlobStore(), storeDir.toAbsolutePath()))
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
              .build();
      server.start();
      while (!AbstractLifeCycle.STARTED.equals(server.getState())) {
        if (AbstractLifeCycle.FAILED.equals(server.getState())) {
          throw new IllegalStateException("embedded S3 backend failed to start");
        }
        Thread.sleep(10);
      }
      URI endpoint = URI.create("http://127.0.0.1:" + server.getPort());
      return new EmbeddedBackend(
          context,
          server,
          endpoint,
          StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create DATA_DIR " + storeDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded S3 backend", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 backend failed to start: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping at shutdown: nothing useful to do with a failure here.
    } finally {
      blobStoreContext.close();
    }
  }

  /**
   * jclouds builds its store with Guice, whose bytecode generation defines classes through {@code
   * sun.misc.Unsafe}; Java 24+ warns about that on every start. jclouds needs no method
   * interception and no generated fast classes (reflection does the same at start-up), so
   * generation is turned off, unless someone chose otherwise. Must run before Guice's first class
   * loads.
   */
  private static void quietGuice() {
    if (System.getProperty(GUICE_BYTECODE_GENERATION) == null) {
      System.setProperty(GUICE_BYTECODE_GENERATION, "DISABLED");
    }
  }

  private static final String GUICE_BYTECODE_GENERATION = "guice_bytecode_gen_option";

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
