package io.github.s3eg.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the boto3 cases ({@code src/test/python/conformance/s3_conformance.py}, Debian's {@code
 * /usr/bin/python3} with boto3 1.26) on one target and reads the outcomes the script writes as
 * JSON. The script lists its cases with {@code --list}, so the exceptions file can check names
 * without running anything.
 */
final class PythonCaseRunner {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPT = Path.of("src/test/python/conformance/s3_conformance.py");

  private PythonCaseRunner() {}

  /** A run of the boto3 cases in progress (a separate process, beside the Java cases). */
  static final class Run {
    private final Process process;
    private final Path out;
    private final Path log;

    private Run(Process process, Path out, Path log) {
      this.process = process;
      this.out = out;
      this.log = log;
    }

    /** Ends the script if it still runs (the Java side failed first). */
    void stop() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }

    /** Waits for the script and reads its outcomes. */
    TargetOutcomes await() throws IOException, InterruptedException {
      String text = finish(process, log);
      if (!Files.exists(out)) {
        throw new AssertionError("the boto3 cases wrote no results:\n" + text);
      }
      Map<String, Outcome> outcomes = new LinkedHashMap<>();
      JsonNode results = new ObjectMapper().readTree(out.toFile());
      for (JsonNode n : results.get("cases")) {
        String name = n.get("name").asText();
        Outcome.Status status = Outcome.Status.valueOf(n.get("status").asText());
        outcomes.put(
            name,
            new Outcome(name, status, n.path("detail").asText(""), n.path("millis").asLong()));
      }
      return new TargetOutcomes(outcomes, results.path("retried").asInt());
    }
  }

  /** Starts the boto3 cases whose names match {@code only} on {@code target}. */
  static Run start(Target target, Set<Capability> capabilities, String only, Path workDir)
      throws IOException {
    Path out = workDir.resolve("boto3-" + target.name() + ".json");
    List<String> command = new ArrayList<>(base());
    command.addAll(
        List.of(
            "--endpoint",
            target.endpoint().toString(),
            "--access-key",
            target.accessKey(),
            "--secret-key",
            target.secretKey(),
            "--bucket-prefix",
            "cp" + target.name().charAt(0),
            "--capabilities",
            capabilities.stream().map(Enum::name).collect(Collectors.joining(",")),
            "--only",
            only,
            "--out",
            out.toString()));
    Path log = Files.createTempFile(workDir, "boto3-" + target.name() + "-", ".log");
    return new Run(python(command, workDir, log), out, log);
  }

  /** The names of every boto3 case, without running any. */
  static List<String> names(Path workDir) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(base());
    command.add("--list");
    Path log = Files.createTempFile(workDir, "boto3-list-", ".log");
    return finish(python(command, workDir, log), log).lines().filter(l -> !l.isBlank()).toList();
  }

  private static List<String> base() {
    if (!Files.isExecutable(PYTHON)) {
      throw new AssertionError(
          PYTHON + " is missing: install python3-boto3 (apt-get install -y python3-boto3)");
    }
    return List.of(PYTHON.toString(), "-B", SCRIPT.toAbsolutePath().toString());
  }

  private static Process python(List<String> command, Path workDir, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // Debian's botocore with python3-awscrt installed would sign with CRT; the CA bundle the
    // environment sets breaks plain-HTTP clients here (docs in /work/shared/ENVIRONMENT.md).
    env.remove("AWS_CA_BUNDLE");
    env.remove("AWS_PROFILE");
    env.put("BOTO_DISABLE_CRT", "true");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("HOME", workDir.toString());
    return pb.start();
  }

  private static String finish(Process p, Path log) throws IOException, InterruptedException {
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the boto3 cases did not finish in 10 minutes");
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("the boto3 cases exited with " + p.exitValue() + ":\n" + text);
    }
    return text;
  }
}
