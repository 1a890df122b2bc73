package io.github.s3eg.ops;

import io.github.s3eg.backend.BackendClients;
import io.github.s3eg.backend.EmbeddedBackend;
import io.github.s3eg.backend.StoredObjectSample;
import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.keys.KeyManager;
import io.github.s3eg.keysetup.KeySetup;
import java.io.PrintStream;
import java.net.URI;

/**
 * {@code java -jar s3-encryption-gateway.jar rewrap --bucket B [--prefix P] [--start-after K]
 * [--dry-run]}: re-wraps the data keys of a bucket's objects under the active KEK, with the same
 * configuration (environment) as the gateway. Prints progress and the final counts; exit status 0
 * when nothing failed.
 */
public final class RewrapCommand {

  private RewrapCommand() {}

  public static int run(String[] args, GatewayConfig config, PrintStream out) {
    String bucket = null;
    String prefix = "";
    String startAfter = null;
    boolean dryRun = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--bucket" -> bucket = args[++i];
        case "--prefix" -> prefix = args[++i];
        case "--start-after" -> startAfter = args[++i];
        case "--dry-run" -> dryRun = true;
        default -> {
          out.println("rewrap: unknown argument " + args[i]);
          return 2;
        }
      }
    }
    if (bucket == null) {
      out.println("usage: rewrap --bucket B [--prefix P] [--start-after KEY] [--dry-run]");
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
              + (dryRun ? " (dry run)" : ""));
      Rewrapper.Result result =
          new Rewrapper(backend.s3(), keys).run(bucket, prefix, startAfter, dryRun, out::println);
      out.println("rewrap: done: " + result);
      return result.failed() == 0 ? 0 : 1;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
