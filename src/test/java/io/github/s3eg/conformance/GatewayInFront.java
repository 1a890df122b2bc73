package io.github.s3eg.conformance;

import io.github.s3eg.it.CephBackend;
import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.S3Backend;
import io.github.s3eg.it.TestBackend;
import java.util.Map;
import java.util.Set;

/**
 * A test backend of the suite ({@link S3Backend}) with a gateway in front of it ({@link
 * GatewayFixture}, default settings): the backend's own credentials directly, the gateway's client
 * credentials through it.
 */
final class GatewayInFront implements ConformanceBackend {

  private final String name;
  private final S3Backend backend;
  private final AutoCloseable ownedBackend;
  private final GatewayFixture gateway;
  private final Set<Capability> capabilities;

  private GatewayInFront(
      String name,
      S3Backend backend,
      AutoCloseable ownedBackend,
      GatewayFixture gateway,
      Set<Capability> capabilities) {
    this.name = name;
    this.backend = backend;
    this.ownedBackend = ownedBackend;
    this.gateway = gateway;
    this.capabilities = Set.copyOf(capabilities);
  }

  /** S3Proxy 2.9 over its filesystem store, in this JVM ({@link TestBackend}). */
  static ConformanceBackend s3proxy() throws Exception {
    TestBackend backend = TestBackend.start();
    try {
      return new GatewayInFront(
          "s3proxy-2.9", backend, backend, GatewayFixture.startOn(backend, Map.of()), Set.of());
    } catch (Exception | Error e) {
      backend.close();
      throw e;
    }
  }

  /**
   * Ceph's RADOS Gateway 16.2, the JVM's shared cluster ({@link CephBackend}, docs/testing.md):
   * versioning, Object Lock, tagging, atomic conditional writes.
   */
  static ConformanceBackend ceph() throws Exception {
    CephBackend backend = CephBackend.shared();
    return new GatewayInFront(
        "ceph-16.2",
        backend,
        null,
        GatewayFixture.startOn(backend, Map.of()),
        Set.of(Capability.VERSIONING, Capability.OBJECT_LOCK, Capability.TAGGING));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Target direct() {
    return new Target("direct", backend.endpoint(), backend.accessKey(), backend.secretKey());
  }

  @Override
  public Target gateway() {
    return new Target(
        "gateway", gateway.endpoint(), GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      if (ownedBackend != null) {
        ownedBackend.close();
      }
    }
  }
}
