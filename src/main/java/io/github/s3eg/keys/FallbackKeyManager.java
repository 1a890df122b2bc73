package io.github.s3eg.keys;

import java.util.Objects;

/**
 * Two key managers behind one: new data keys are wrapped by the primary; each unwrap goes to the
 * manager that owns the KEK the object names. This keeps objects written before a migration
 * readable, e.g. objects wrapped in password mode after a KMS has been enabled as primary.
 *
 * <p>Ownership is decided by {@link KeyOwnership} when a manager implements it, otherwise by
 * comparing the reference's id with the manager's {@linkplain KeyManager#activeKey() active key}
 * id. A reference neither side claims goes to the primary, whose error names the problem.
 */
public final class FallbackKeyManager implements KeyManager, KeyOwnership {

  private final KeyManager primary;
  private final KeyManager fallback;

  public FallbackKeyManager(KeyManager primary, KeyManager fallback) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /** Whether {@code manager} owns {@code kek}, by {@link KeyOwnership} or by active key id. */
  static boolean owns(KeyManager manager, KeyReference kek) {
    if (manager instanceof KeyOwnership ownership) {
      return ownership.owns(kek);
    }
    return manager.activeKey().id().equals(kek.id());
  }

  public KeyManager primary() {
    return primary;
  }

  public KeyManager fallback() {
    return fallback;
  }

  @Override
  public String provider() {
    return primary.provider();
  }

  @Override
  public KeyReference activeKey() {
    return primary.activeKey();
  }

  @Override
  public boolean owns(KeyReference kek) {
    return owns(primary, kek) || owns(fallback, kek);
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    return primary.wrap(dek, associatedData);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    KeyReference kek = wrapped.kek();
    KeyManager target = !owns(primary, kek) && owns(fallback, kek) ? fallback : primary;
    return target.unwrap(wrapped, associatedData);
  }

  /** Healthy when both are: the primary wraps every new object, the fallback reads old ones. */
  @Override
  public Health health() {
    Health main = primary.health();
    if (!main.healthy()) {
      return main;
    }
    Health other = fallback.health();
    return other.healthy()
        ? main
        : Health.down("fallback " + fallback.provider() + ": " + other.detail());
  }

  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      fallback.close();
    }
  }
}
