package io.github.s3eg.ops;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.backend.StoredObjectSample;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.crypto.ObjectEncryptor;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keysetup.KeySetup;
import java.io.PrintStream;
import java.net.URI;

/**
 * {@code java -jar s3-encryption-gateway.jar rewrap --bucket B [--prefix P] [--start-after K]
 * [--dry-run] [--convert]}: re-wraps the data keys of a bucket's objects under the active KEK, with
 * the same configuration (environment) as the gateway; with {@code --convert}, also converts AWS S3
 * Encryption Client objects into the gateway's format ({@link S3ecConverter}, keys from {@code
 * ENCRYPTION_S3EC_KEYS}). Prints progress and the final counts; exit status 0 when nothing failed.
 */
public final class RewrapCommand {

  private RewrapCommand() {}

  public static int run(String[] args, GatewayConfig config, PrintStream out) {
    String bucket = null;
    String prefix = "";
    String startAfter = null;
    boolean dryRun = false;
    boolean convert = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--bucket" -> bucket = args[++i];
        case "--prefix" -> prefix = args[++i];
        case "--start-after" -> startAfter = args[++i];
        case "--dry-run" -> dryRun = true;
        case "--convert" -> convert = true;
        default -> {
          out.println("rewrap: unknown argument " + args[i]);
          return 2;
        }
      }
    }
    if (bucket == null) {
      out.println(
          "usage: rewrap --bucket B [--prefix P] [--start-after KEY] [--dry-run] [--convert]");
      return 2;
    }
    if (convert && config.encryption().s3ec().keys().isEmpty()) {
      out.println(
          "rewrap: --convert needs ENCRYPTION_S3EC_KEYS (the keys the S3 Encryption Client used)");
      return 2;
    }
    EmbeddedBackend embedded =
        config.backend().embedded() ? EmbeddedBackend.start(config.backend().dataDir()) : null;
    URI endpoint = embedded != null ? embedded.endpoint() : config.backend().endpoint().get();
    try (BackendClients backend =
            BackendClients.create(
                config.backend(),
                endpoint,
                embedded != null
                    ? embedded.credentials()
                    : BackendClients.credentials(config.backend()));
        KeyManager keys =
            KeySetup.create(
                config.encryption(), config.backend(), StoredObjectSample.take(backend.s3()))) {
      out.println(
          "rewrap: bucket "
              + bucket
              + (prefix.isEmpty() ? "" : " prefix " + prefix)
              + ", active key "
              + keys.activeKey().encode()
              + (convert ? ", converting S3 Encryption Client objects" : "")
              + (dryRun ? " (dry run)" : ""));
      Rewrapper rewrapper = new Rewrapper(backend.s3(), keys);
      if (convert) {
        rewrapper.converting(
            new S3ecConverter(
                backend.s3(),
                new S3ecKeys(keys, config.encryption().s3ec().keys()),
                new ObjectEncryptor(
                    keys,
                    config.encryption().preferredAlgorithm(),
                    config.encryption().segmentSize())));
      }
      Rewrapper.Result result =
          rewrapper.run(bucket, prefix, startAfter, dryRun, convert, out::println);
      out.println("rewrap: done: " + result);
      return result.failed() == 0 ? 0 : 1;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
