package io.github.s3eg.ops;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keysetup.KeySetup;
import java.net.URI;

/**
 * The backend and key source a command ({@code rewrap}, {@code decrypt}, {@code scrub}) works on,
 * from the gateway's own configuration: the configured backend, or the embedded store in {@code
 * DATA_DIR} when none is configured. No gateway needs to run. Closing releases all three.
 */
final class CommandBackend implements AutoCloseable {

  private final EmbeddedBackend embedded;
  private final BackendClients clients;
  private final KeyManager keys;

  private CommandBackend(EmbeddedBackend embedded, BackendClients clients, KeyManager keys) {
    this.embedded = embedded;
    this.clients = clients;
    this.keys = keys;
  }

  static CommandBackend open(GatewayConfig config) {
    EmbeddedBackend embedded =
        config.backend().embedded() ? EmbeddedBackend.start(config.backend().dataDir()) : null;
    BackendClients clients = null;
    try {
      URI endpoint = embedded != null ? embedded.endpoint() : config.backend().endpoint().get();
      clients =
          BackendClients.create(
              config.backend(),
              endpoint,
              embedded != null
                  ? embedded.credentials()
                  : BackendClients.credentials(config.backend()));
      return new CommandBackend(
          embedded,
          clients,
          KeySetup.create(
              config.encryption(),
              config.backend(),
              io.github.s3eg.backend.StoredObjectSample.take(clients.s3())));
    } catch (RuntimeException | Error e) {
      if (clients != null) {
        clients.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  BackendClients clients() {
    return clients;
  }

  KeyManager keys() {
    return keys;
  }

  @Override
  public void close() {
    try {
      keys.close();
    } finally {
      try {
        clients.close();
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }
}
