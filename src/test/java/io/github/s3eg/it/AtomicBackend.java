package io.github.s3eg.it;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opentest4j.TestAbortedException;

/**
 * A backend on which conditional writes ({@code If-None-Match: *}, {@code If-Match}) of PutObject
 * are atomic, for the tests that race clients through several gateways. The system property {@value
 * #PROPERTY} (or the environment variable {@code S3EG_ATOMIC_BACKEND}) names the ones to race
 * against, comma-separated; by default {@code ceph,locked-s3proxy}:
 *
 * <ul>
 *   <li>{@code ceph}: Ceph RGW 16.2 ({@link CephBackend}, atomic by itself; skipped with the reason
 *       where its packages are missing, outside CI).
 *   <li>{@code locked-s3proxy}: S3Proxy 2.9 behind a {@link SerializingProxy}, which makes its own
 *       check-then-write atomic, and can gather racing writes so that they certainly overlap.
 *   <li>{@code endpoint}: an S3 server already running, from {@code s3eg.atomicBackend.endpoint},
 *       {@code .accessKey}, {@code .secretKey} and optionally {@code .provider} (a {@code
 *       BACKEND_PROVIDER} value, default {@code generic}).
 *   <li>the name of a class with a public no-argument constructor that implements {@code
 *       Callable<AtomicBackend>}.
 *   <li>{@code none}: no atomic backend; the race tests are skipped and say why.
 * </ul>
 *
 * Neither S3Proxy 2.9 nor RGW 16.2 evaluates conditions on CompleteMultipartUpload or on
 * CopyObject's destination, so races are run on PutObject only (docs/testing.md).
 */
interface AtomicBackend extends S3Backend, AutoCloseable {

  String PROPERTY = "s3eg.atomicBackend";

  /** What this backend is, for test names and messages. */
  String description();

  /**
   * Holds the next {@code parties} writes of {@code bucket}/{@code key} until all have arrived, so
   * racing clients certainly overlap at the backend; false if this backend cannot (the race then
   * relies on the clients' own timing, over several rounds).
   */
  default boolean gatherWrites(String bucket, String key, int parties, Duration timeout) {
    return false;
  }

  @Override
  default void close() throws Exception {}

  /** The names the property chooses, in order. */
  static List<String> chosen() {
    String choice = System.getProperty(PROPERTY);
    if (choice == null || choice.isBlank()) {
      choice = System.getenv().getOrDefault("S3EG_ATOMIC_BACKEND", "ceph,locked-s3proxy");
    }
    return Arrays.stream(choice.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Starts the backend {@code name} names.
   *
   * @throws TestAbortedException when it is not available here (the test is skipped, with why)
   */
  static AtomicBackend start(String name) throws Exception {
    return switch (name) {
      case "none" -> throw new TestAbortedException(PROPERTY + "=none: no atomic backend chosen");
      case "ceph" -> ceph(CephBackend.shared());
      case "locked-s3proxy" -> LockedS3Proxy.start();
      case "endpoint" -> external();
      default -> {
        @SuppressWarnings("unchecked")
        Callable<AtomicBackend> factory =
            (Callable<AtomicBackend>) Class.forName(name).getDeclaredConstructor().newInstance();
        yield factory.call();
      }
    };
  }

  private static AtomicBackend ceph(CephBackend ceph) {
    return new AtomicBackend() {
      @Override
      public String description() {
        return "Ceph RGW 16.2";
      }

      @Override
      public URI endpoint() {
        return ceph.endpoint();
      }

      @Override
      public String accessKey() {
        return ceph.accessKey();
      }

      @Override
      public String secretKey() {
        return ceph.secretKey();
      }

      @Override
      public Map<String, String> gatewaySettings() {
        return ceph.gatewaySettings();
      }
    };
  }

  private static AtomicBackend external() {
    String endpoint = required("endpoint");
    String accessKey = required("accessKey");
    String secretKey = required("secretKey");
    String provider = System.getProperty(PROPERTY + ".provider", "generic");
    return new AtomicBackend() {
      @Override
      public String description() {
        return "the S3 server at " + endpoint + " (" + provider + ")";
      }

      @Override
      public URI endpoint() {
        return URI.create(endpoint);
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
            "BACKEND_ENDPOINT", endpoint,
            "BACKEND_ACCESS_KEY", accessKey,
            "BACKEND_SECRET_KEY", secretKey,
            "BACKEND_PROVIDER", provider);
      }
    };
  }

  private static String required(String name) {
    String value = System.getProperty(PROPERTY + "." + name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("set -D" + PROPERTY + "." + name);
    }
    return value;
  }

  /** S3Proxy made atomic by a {@link SerializingProxy} in front of it. */
  final class LockedS3Proxy implements AtomicBackend {
    private final TestBackend backend;
    private final SerializingProxy lock;

    private LockedS3Proxy(TestBackend backend, SerializingProxy lock) {
      this.backend = backend;
      this.lock = lock;
    }

    static LockedS3Proxy start() throws Exception {
      TestBackend backend = TestBackend.start();
      try {
        return new LockedS3Proxy(backend, SerializingProxy.start(backend.endpoint()));
      } catch (Exception e) {
        backend.close();
        throw e;
      }
    }

    @Override
    public String description() {
      return "S3Proxy 2.9 with writes serialized per key";
    }

    @Override
    public URI endpoint() {
      return lock.endpoint();
    }

    @Override
    public String accessKey() {
      return backend.accessKey();
    }

    @Override
    public String secretKey() {
      return backend.secretKey();
    }

    @Override
    public Map<String, String> gatewaySettings() {
      Map<String, String> settings = new java.util.HashMap<>(backend.gatewaySettings());
      settings.put("BACKEND_ENDPOINT", endpoint().toString());
      return Map.copyOf(settings);
    }

    @Override
    public boolean gatherWrites(String bucket, String key, int parties, Duration timeout) {
      lock.gather("/" + bucket + "/" + key, parties, timeout);
      return true;
    }

    @Override
    public void close() throws Exception {
      try {
        lock.close();
      } finally {
        backend.close();
      }
    }
  }
}
