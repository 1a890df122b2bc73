package io.github.s3eg.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real S3 command-line client from Debian's packages (installed by {@code .ci/run}) and
 * captures its output. A missing tool fails the test with the package to install: real checks are
 * never skipped silently.
 */
final class CliTool {

  record Result(int exitCode, String output) {
    Result assertOk(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed with exit " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  private CliTool() {}

  static void requireInstalled(String path, String debianPackage) {
    if (!Files.isExecutable(Path.of(path))) {
      throw new AssertionError(
          path
              + " is missing: install it with `apt-get install -y "
              + debianPackage
              + "` (.ci/run does)");
    }
  }

  /**
   * Runs {@code command} with the environment S3 CLIs need here (no CA bundle override, no CRT).
   */
  static Result run(Map<String, String> env, Path workDir, String... command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.remove("AWS_CA_BUNDLE");
    e.remove("AWS_PROFILE");
    e.put("BOTO_DISABLE_CRT", "true");
    e.put("AWS_DEFAULT_REGION", "us-east-1");
    e.put("AWS_EC2_METADATA_DISABLED", "true");
    e.put("HOME", workDir.toString());
    e.putAll(new HashMap<>(env));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " timed out");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
