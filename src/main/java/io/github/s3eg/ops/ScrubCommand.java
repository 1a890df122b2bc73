package io.github.s3eg.ops;

import io.github.s3eg.config.GatewayConfig;
import io.github.s3eg.config.OpsConfig;
import io.github.s3eg.crypto.s3ec.S3ecKeys;
import io.github.s3eg.recovery.ScrubReport;
import io.github.s3eg.recovery.Scrubber;
import io.github.s3eg.recovery.StoredObjectReader;
import io.github.s3eg.recovery.Throttle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code java -jar s3-encryption-gateway.jar scrub [--config FILE] s3://BUCKET[/PREFIX] [--report
 * FILE] [--objects-per-second N] [--mb-per-second N]}: checks every object under the prefix through
 * the full authentication path ({@link Scrubber}) with the gateway's configuration, no gateway
 * running, nothing written anywhere but the report. The JSON report goes to standard output (or
 * FILE), progress to standard error. The rates default to {@code SCRUB_OBJECTS_PER_SECOND} and
 * {@code SCRUB_MB_PER_SECOND} (0: no limit).
 *
 * <p>Exit status ({@link ScrubReport#exitCode}): 0 everything verified, 1 an object failed a check
 * or the scrub stopped early, 2 usage or configuration error, 3 everything verified but there are
 * notices (plaintext objects, retired keys, S3 Encryption Client objects).
 */
public final class ScrubCommand {

  static final String USAGE =
      "usage: scrub [--config FILE] s3://BUCKET[/PREFIX] [--report FILE]"
          + " [--objects-per-second N] [--mb-per-second N]";

  private ScrubCommand() {}

  public static int run(String[] args, GatewayConfig config, PrintStream out, PrintStream err) {
    String url = null;
    Path reportFile = null;
    OpsConfig.Scrub rates = config.ops().scrub();
    int objectsPerSecond = rates.objectsPerSecond();
    long bytesPerSecond = rates.bytesPerSecond();
    try {
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--report" -> reportFile = Path.of(args[++i]);
          case "--objects-per-second" -> objectsPerSecond = Integer.parseInt(args[++i]);
          case "--mb-per-second" -> bytesPerSecond = Long.parseLong(args[++i]) * 1_000_000L;
          default -> {
            if (url != null || !args[i].startsWith("s3://")) {
              err.println("scrub: unexpected argument " + args[i]);
              err.println(USAGE);
              return 2;
            }
            url = args[i];
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      err.println(USAGE);
      return 2;
    }
    DecryptCommand.S3Url target = url == null ? null : DecryptCommand.S3Url.parse(url);
    if (target == null || objectsPerSecond < 0 || bytesPerSecond < 0) {
      err.println(USAGE);
      return 2;
    }
    try (CommandBackend backend = CommandBackend.open(config)) {
      Optional<S3ecKeys> s3ec =
          config.encryption().s3ec().keys().isEmpty()
              ? Optional.empty()
              : Optional.of(new S3ecKeys(backend.keys(), config.encryption().s3ec().keys()));
      Scrubber scrubber =
          new Scrubber(
              backend.clients(),
              new StoredObjectReader(backend.clients(), backend.keys(), s3ec),
              backend.keys().activeKey(),
              new Throttle(objectsPerSecond, bytesPerSecond));
      err.println(
          "scrub: s3://"
              + target.bucket()
              + "/"
              + target.key()
              + " at most "
              + (objectsPerSecond == 0 ? "unlimited" : objectsPerSecond)
              + " objects/s and "
              + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond / 1_000_000 + " MB/s"));
      ScrubReport report = Scrubber.report(target.bucket(), target.key());
      ProgressPrinter progress = new ProgressPrinter(report, err);
      progress.start();
      try {
        scrubber.run(target.bucket(), target.key(), report, () -> false);
      } finally {
        progress.interrupt();
      }
      String json = report.toJson();
      if (reportFile != null) {
        Files.writeString(reportFile, json, StandardCharsets.UTF_8);
      } else {
        out.print(json);
        out.flush();
      }
      err.println(
          "scrub: "
              + report.scanned()
              + " objects checked, "
              + report.entries().size()
              + " with findings; exit "
              + report.exitCode());
      return report.exitCode();
    } catch (IOException e) {
      err.println("scrub: cannot write the report: " + e.getMessage());
      return 2;
    }
  }

  /** A progress line on standard error every 10 seconds. */
  private static final class ProgressPrinter extends Thread {
    private final ScrubReport report;
    private final PrintStream err;

    ProgressPrinter(ScrubReport report, PrintStream err) {
      super("scrub-progress");
      setDaemon(true);
      this.report = report;
      this.err = err;
    }

    @Override
    public void run() {
      try {
        while (!report.finished()) {
          Thread.sleep(10_000);
          err.println(
              "scrub: progress: "
                  + report.scanned()
                  + " objects, "
                  + report.bytes()
                  + " bytes, "
                  + report.entries().size()
                  + " with findings");
        }
      } catch (InterruptedException e) {
        // done
      }
    }
  }
}
