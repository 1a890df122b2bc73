package io.github.s3eg.ops;

import io.github.s3eg.keys.KeyManager;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: is the key manager usable (key service reachable, keyring loaded)? Its detail is the
 * key manager's own short, secret-free description.
 */
public final class KeyManagerHealthCheck extends AbstractHealthCheck {

  private final KeyManager keys;

  public KeyManagerHealthCheck(KeyManager keys) {
    super("s3eg", "keys");
    this.keys = keys;
  }

  @Override
  public boolean isLiveness() {
    return false;
  }

  @Override
  protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
    KeyManager.Health health = keys.health();
    builder.detail("provider", keys.provider()).detail("keys", health.detail());
    if (health.healthy()) {
      builder.up();
    } else {
      builder.down();
    }
  }
}
