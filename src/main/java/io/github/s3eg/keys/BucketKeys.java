package io.github.s3eg.keys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code BUCKET_KEYRINGS}: some buckets' data keys wrapped under a keyring of their own. The
 * gateway's key manager wraps for every other bucket; {@link #forBucket} gives the wrapping side
 * (new objects, multipart uploads, copies and {@code rewrap}) the bucket's manager. Each unwrap
 * goes to the manager that owns the KEK the object names (the keyrings' ids must differ from each
 * other and from the gateway's key), so every object stays readable whichever key wrapped it.
 */
public final class BucketKeys implements KeyManager, KeyOwnership {

  private final KeyManager gateway;
  private final Map<String, KeyManager> byBucket;

  BucketKeys(KeyManager gateway, Map<String, KeyManager> byBucket) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.byBucket = Map.copyOf(byBucket);
    java.util.Set<String> ids = new java.util.HashSet<>();
    ids.add(gateway.activeKey().id());
    for (Map.Entry<String, KeyManager> e : this.byBucket.entrySet()) {
      String id = e.getValue().activeKey().id();
      if (!ids.add(id) && !sameManagerAgain(e.getValue())) {
        throw new IllegalArgumentException(
            "the keyring of bucket " + e.getKey() + " has the id '" + id + "' of another key");
      }
    }
  }

  /**
   * The gateway's key manager, with a keyring file ({@link KeyringKeyManager}, polled for rotation
   * like {@code KEYRING_FILE}) for each bucket of {@code files}; {@code gateway} itself when there
   * are none.
   */
  public static KeyManager open(KeyManager gateway, Map<String, Path> files) throws IOException {
    int window = KeyManagerFactory.DEFAULT_WINDOW;
    if (files.isEmpty()) {
      return gateway;
    }
    Map<Path, KeyManager> opened = new LinkedHashMap<>();
    Map<String, KeyManager> byBucket = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Path> e : files.entrySet()) {
        KeyManager keyring = opened.get(e.getValue());
        if (keyring == null) {
          keyring =
              new KeyringKeyManager(e.getValue(), window, KeyringKeyManager.DEFAULT_POLL_INTERVAL);
          opened.put(e.getValue(), keyring);
        }
        byBucket.put(e.getKey(), keyring);
      }
      return new BucketKeys(gateway, byBucket);
    } catch (IOException | RuntimeException e) {
      opened.values().forEach(KeyManager::close);
      throw e;
    }
  }

  private boolean sameManagerAgain(KeyManager manager) {
    return byBucket.values().stream().filter(m -> m == manager).count() > 1;
  }

  @Override
  public KeyManager forBucket(String bucket) {
    return byBucket.getOrDefault(bucket, gateway);
  }

  @Override
  public String provider() {
    return gateway.provider();
  }

  @Override
  public KeyReference activeKey() {
    return gateway.activeKey();
  }

  @Override
  public WrappedKey wrap(byte[] dek, byte[] associatedData) throws KeyManagerException {
    return gateway.wrap(dek, associatedData);
  }

  @Override
  public byte[] unwrap(WrappedKey wrapped, byte[] associatedData) throws KeyManagerException {
    for (KeyManager keyring : byBucket.values()) {
      if (FallbackKeyManager.owns(keyring, wrapped.kek())) {
        return keyring.unwrap(wrapped, associatedData);
      }
    }
    return gateway.unwrap(wrapped, associatedData);
  }

  @Override
  public boolean owns(KeyReference kek) {
    return FallbackKeyManager.owns(gateway, kek)
        || byBucket.values().stream().anyMatch(k -> FallbackKeyManager.owns(k, kek));
  }

  @Override
  public Health health() {
    return gateway.health();
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      byBucket.values().stream().distinct().forEach(KeyManager::close);
    }
  }
}
