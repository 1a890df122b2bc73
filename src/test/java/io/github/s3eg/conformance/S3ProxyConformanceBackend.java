package io.github.s3eg.conformance;

import io.github.s3eg.it.GatewayFixture;
import io.github.s3eg.it.TestBackend;
import java.util.Map;
import java.util.Set;

/**
 * The in-process backend of the test suite (S3Proxy 2.9 over its filesystem store, {@link
 * TestBackend}) with a gateway in front ({@link GatewayFixture}, default settings).
 */
final class S3ProxyConformanceBackend implements ConformanceBackend {

  private final TestBackend backend;
  private final GatewayFixture gateway;

  private S3ProxyConformanceBackend(TestBackend backend, GatewayFixture gateway) {
    this.backend = backend;
    this.gateway = gateway;
  }

  static ConformanceBackend start() throws Exception {
    TestBackend backend = TestBackend.start();
    try {
      return new S3ProxyConformanceBackend(backend, GatewayFixture.startOn(backend, Map.of()));
    } catch (Exception | Error e) {
      backend.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "s3proxy-2.9";
  }

  @Override
  public Target direct() {
    return new Target("direct", backend.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY);
  }

  @Override
  public Target gateway() {
    return new Target(
        "gateway", gateway.endpoint(), GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET);
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      backend.close();
    }
  }
}
