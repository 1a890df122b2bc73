package io.github.s3eg.it;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A backend on which conditional writes ({@code If-None-Match: *}, {@code If-Match}) are atomic,
 * for the tests that race clients through several gateways. Which one is chosen by the system
 * property {@value #PROPERTY} (or the environment variable {@code S3EG_ATOMIC_BACKEND}):
 *
 * <ul>
 *   <li>{@code locked-s3proxy} (the default): S3Proxy 2.9 behind a {@link SerializingProxy}, which
 *       makes its own check-then-write of PutObject conditions atomic. S3Proxy does not evaluate
 *       conditions on CompleteMultipartUpload or on CopyObject's destination, so races are run on
 *       PutObject only.
 *   <li>{@code endpoint}: an S3 server already running, from {@code s3eg.atomicBackend.endpoint},
 *       {@code .accessKey}, {@code .secretKey} and optionally {@code .provider} (a {@code
 *       BACKEND_PROVIDER} value, default {@code generic}).
 *   <li>the name of a class with a public no-argument constructor that implements {@code
 *       Callable<AtomicBackend>}: another fixture (a real second backend) plugs in this way.
 *   <li>{@code none}: no atomic backend; the race tests are skipped and say why.
 * </ul>
 */
interface AtomicBackend extends AutoCloseable {

  String PROPERTY = "s3eg.atomicBackend";

  /** What this backend is, for test names and skip messages. */
  String description();

  URI endpoint();

  String accessKey();

  String secretKey();

  /** Gateway settings this backend needs besides endpoint and credentials (provider, quirks). */
  Map<String, String> gatewaySettings();

  /**
   * Holds the next {@code parties} writes of {@code bucket}/{@code key} until all have arrived, so
   * racing clients certainly overlap at the backend; false if this backend cannot (the race then
   * relies on the clients' own timing).
   */
  default boolean gatherWrites(String bucket, String key, int parties, Duration timeout) {
    return false;
  }

  @Override
  void close() throws Exception;

  /** The chosen backend, started; empty when none is chosen or it cannot start (with why). */
  static Optional<AtomicBackend> start(StringBuilder whyNot) {
    String choice = System.getProperty(PROPERTY);
    if (choice == null || choice.isBlank()) {
      choice = System.getenv().getOrDefault("S3EG_ATOMIC_BACKEND", "locked-s3proxy");
    }
    try {
      return switch (choice) {
        case "none" -> {
          whyNot.append(PROPERTY + "=none: no atomic backend chosen");
          yield Optional.empty();
        }
        case "locked-s3proxy" -> Optional.of(LockedS3Proxy.start());
        case "endpoint" -> Optional.of(external());
        default -> {
          @SuppressWarnings("unchecked")
          Callable<AtomicBackend> factory =
              (Callable<AtomicBackend>)
                  Class.forName(choice).getDeclaredConstructor().newInstance();
          yield Optional.of(factory.call());
        }
      };
    } catch (Exception e) {
      whyNot.append("the atomic backend '").append(choice).append("' could not start: ").append(e);
      return Optional.empty();
    }
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
        return Map.of("BACKEND_PROVIDER", provider);
      }

      @Override
      public void close() {}
    };
  }

  private static String required(String name) {
    String value = System.getProperty(PROPERTY + "." + name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("set -D" + PROPERTY + "." + name);
    }
    return value;
  }

  /** The default: S3Proxy made atomic by a {@link SerializingProxy} in front of it. */
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
      return TestBackend.ACCESS_KEY;
    }

    @Override
    public String secretKey() {
      return TestBackend.SECRET_KEY;
    }

    @Override
    public Map<String, String> gatewaySettings() {
      return Map.of("BACKEND_PROVIDER", "generic", "BACKEND_MULTIPART_ETAGS", "false");
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
