package io.github.s3eg.bench;

import io.github.s3eg.it.TestBackend;
import java.io.IOException;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cold-start benchmark of issue 20 ({@code bench/cold-start.sh}): starts the gateway's jar in
 * trial mode (embedded store, {@code java -jar}, as a new user does) several times, alternately
 * without and with an ahead-of-time cache, and prints for each start the milliseconds until {@code
 * /live} and {@code /ready} answer 200, the process's CPU-seconds at that moment, and the p50/p90
 * latency of the first 500 1 KiB GETs through it against the same GETs sent directly to an S3Proxy
 * 2.9 in this JVM (the embedded store's own server), one after the other in pairs so that both see
 * the same load. The client is warmed on the direct backend before the first start, so that only
 * the gateway is cold.
 *
 * <p>Arguments: JAR, AOT cache file (or "-" for none), runs per variant.
 */
public final class ColdStartBench {

  private static final int GETS = 500;
  private static final long READY_TARGET_MS = 2000;
  private static final double OVERHEAD_TARGET_MS = 2.0;

  private ColdStartBench() {}

  record Run(
      String variant,
      long liveMs,
      long readyMs,
      double cpuSeconds,
      double getsCpuSeconds,
      double getsJitCpuSeconds,
      double[] gateway,
      double[] direct) {

    double overheadP50() {
      return percentile(gateway, 50) - percentile(direct, 50);
    }
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path cache = args[1].equals("-") ? null : Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    System.out.printf(
        "cold start: %s, %d run(s) per variant, %d cores, load average %s%n",
        jar, runs, Runtime.getRuntime().availableProcessors(), loadAverage());
    byte[] body = new byte[1024];
    try (TestBackend backend = TestBackend.start();
        S3Client direct =
            client(backend.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY)) {
      direct.createBucket(b -> b.bucket("cold"));
      direct.putObject(b -> b.bucket("cold").key("object"), RequestBody.fromBytes(body));
      for (int i = 0; i < 3000; i++) {
        direct.getObjectAsBytes(b -> b.bucket("cold").key("object"));
      }
      List<Run> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        results.add(start(jar, null, direct, body));
        if (cache != null) {
          results.add(start(jar, cache, direct, body));
        }
      }
      System.out.println();
      summarize(results, "java -jar");
      if (cache != null) {
        summarize(results, "java -XX:AOTCache -jar");
      } else {
        System.out.println(
            "java -XX:AOTCache -jar: no cache given (scripts/aot-cache.sh makes one)");
      }
      System.out.printf("load average at the end: %s%n", loadAverage());
    }
  }

  private static Run start(Path jar, Path cache, S3Client direct, byte[] body) throws Exception {
    Path data = Files.createTempDirectory("s3eg-cold-start-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+IgnoreUnrecognizedVMOptions");
    command.add("--sun-misc-unsafe-memory-access=allow");
    if (cache != null) {
      command.add("-XX:AOTCache=" + cache);
    }
    // JVM flags to try on the start, e.g. the JIT's thresholds (docs/performance.md, "Cold start").
    String extra = System.getenv("COLD_START_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile());
    pb.environment().put("DATA_DIR", data.toString());
    pb.environment().put("LISTEN_ADDR", "127.0.0.1:" + port);
    long started = System.nanoTime();
    Process process = pb.start();
    try {
      URI gateway = URI.create("http://127.0.0.1:" + port);
      long liveMs = awaitOk(process, gateway.resolve("/live"), started);
      long readyMs = awaitOk(process, gateway.resolve("/ready"), started);
      double cpu = GatewayBench.cpuTicks(process) / 100.0;
      Properties credentials = new Properties();
      try (Reader in =
          Files.newBufferedReader(
              data.resolve("client-credentials.properties"), StandardCharsets.UTF_8)) {
        credentials.load(in);
      }
      double[] through = new double[GETS];
      long getsCpu;
      long getsJit;
      double[] straight = new double[GETS];
      try (S3Client s3 =
          client(
              gateway,
              credentials.getProperty("access_key"),
              credentials.getProperty("secret_key"))) {
        s3.createBucket(b -> b.bucket("cold"));
        s3.putObject(b -> b.bucket("cold").key("object"), RequestBody.fromBytes(body));
        getsCpu = -GatewayBench.cpuTicks(process);
        Map<String, Long> jitBefore = jitTicks(process);
        for (int i = 0; i < GETS; i++) {
          through[i] = timedGet(s3);
          straight[i] = timedGet(direct);
        }
        getsCpu += GatewayBench.cpuTicks(process);
        getsJit = 0;
        for (Map.Entry<String, Long> thread : jitTicks(process).entrySet()) {
          getsJit += thread.getValue() - jitBefore.getOrDefault(thread.getKey(), 0L);
        }
      }
      Run run =
          new Run(
              cache == null ? "java -jar" : "java -XX:AOTCache -jar",
              liveMs,
              readyMs,
              cpu,
              getsCpu / 100.0,
              getsJit / 100.0,
              through,
              straight);
      System.out.printf(
          Locale.ROOT,
          "%-24s /live %5d ms  /ready %5d ms  CPU to ready %5.2f s  first %d GETs p50 %.2f"
              + " / p90 %.2f ms (direct %.2f / %.2f, p50 overhead %+.2f ms)  gateway CPU during"
              + " them %.2f s (JIT threads %.2f s)  load %s%n",
          run.variant(),
          liveMs,
          readyMs,
          cpu,
          GETS,
          percentile(through, 50),
          percentile(through, 90),
          percentile(straight, 50),
          percentile(straight, 90),
          run.overheadP50(),
          run.getsCpuSeconds(),
          run.getsJitCpuSeconds(),
          loadAverage());
      return run;
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      deleteTree(data);
      Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".log"));
    }
  }

  private static void summarize(List<Run> results, String variant) {
    List<Run> runs = results.stream().filter(r -> r.variant().equals(variant)).toList();
    double ready = median(runs.stream().mapToDouble(Run::readyMs).toArray());
    double live = median(runs.stream().mapToDouble(Run::liveMs).toArray());
    double cpu = median(runs.stream().mapToDouble(Run::cpuSeconds).toArray());
    double overhead = median(runs.stream().mapToDouble(Run::overheadP50).toArray());
    double p90 =
        median(
            runs.stream()
                .mapToDouble(r -> percentile(r.gateway(), 90) - percentile(r.direct(), 90))
                .toArray());
    System.out.printf(
        Locale.ROOT,
        "%-24s median of %d: /live %.0f ms, /ready %.0f ms (target <= %d ms: %s), CPU to ready"
            + " %.2f s; first %d GETs p50 overhead %+.2f ms (target <= %.0f ms: %s), p90 overhead"
            + " %+.2f ms%n",
        variant,
        runs.size(),
        live,
        ready,
        READY_TARGET_MS,
        ready <= READY_TARGET_MS ? "met" : "missed",
        cpu,
        GETS,
        overhead,
        OVERHEAD_TARGET_MS,
        overhead <= OVERHEAD_TARGET_MS ? "met" : "missed",
        p90);
  }

  /**
   * CPU ticks of each JIT compiler thread of {@code process}, by thread id (the JVM ends idle
   * compiler threads: a difference counts the threads alive at its end, a lower bound).
   */
  static Map<String, Long> jitTicks(Process process) throws IOException {
    Map<String, Long> ticks = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm"));
          if (!name.startsWith("C") || !name.contains("CompilerThre")) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException ended) {
          // The thread ended between the listing and the read.
        }
      }
    }
    return ticks;
  }

  private static double timedGet(S3Client s3) {
    long t = System.nanoTime();
    s3.getObjectAsBytes(b -> b.bucket("cold").key("object"));
    return (System.nanoTime() - t) / 1e6;
  }

  /** Milliseconds from {@code started} until {@code uri} answers 200 (polled every 10 ms). */
  private static long awaitOk(Process process, URI uri, long started) throws Exception {
    long deadline = started + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the gateway ended with status " + process.exitValue());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status == 200) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException(uri + " did not answer 200 within 5 minutes");
  }

  private static S3Client client(URI endpoint, String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        // S3Proxy 2.9 (the direct backend) refuses the SDK's default checksum trailers; both
        // clients send the same kind of request.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(1)))
        .build();
  }

  static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double median(double[] values) {
    return percentile(values, 50);
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
