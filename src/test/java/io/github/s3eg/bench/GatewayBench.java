package io.github.s3eg.bench;

import io.github.s3eg.it.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The gateway benchmark of issue 10: the same AWS SDK v2 client code is driven first directly
 * against an S3Proxy backend and then through the gateway (fat jar, its own JVM), and the results
 * are written as JSON. Both paths go through the same {@link BenchProxy} in front of the backend,
 * which counts backend requests and bytes. Started by {@code bench/run.sh}; not part of the tests.
 *
 * <p>Arguments: {@code --mode quick|full --jar <gateway jar> --out <json> [--pid-file <file>]}.
 */
public final class GatewayBench {

  static final int KIB = 1024;
  static final int MIB = 1024 * 1024;
  static final String CLIENT_KEY = "bench-client";
  static final String CLIENT_SECRET = "bench-client-secret-0123456789";
  static final String PASSWORD = "bench-password-0123456789";

  /** Settings of one mode. */
  record Mode(
      String name,
      Duration cell,
      int maxRequestsPerCell,
      long largeSize,
      int parallelStreams,
      long rangedObjectSize,
      int rangedConcurrency,
      int listKeys,
      List<String> algorithms) {}

  static final Mode QUICK =
      new Mode(
          "quick",
          Duration.ofSeconds(2),
          20_000,
          64L * MIB,
          8,
          256L * MIB,
          4,
          2_000,
          List.of("AES256-GCM"));
  static final Mode FULL =
      new Mode(
          "full",
          Duration.ofSeconds(10),
          200_000,
          1024L * MIB,
          8,
          1024L * MIB,
          4,
          10_000,
          List.of("AES256-GCM", "CHACHA20-POLY1305"));

  private final Mode mode;
  private final Path jar;
  private final Path pidFile;
  private final long ticksPerSecond;
  private final byte[] pattern = new byte[MIB];
  private volatile Process gateway;

  GatewayBench(Mode mode, Path jar, Path pidFile, long ticksPerSecond) {
    this.mode = mode;
    this.jar = jar;
    this.pidFile = pidFile;
    this.ticksPerSecond = ticksPerSecond;
    new Random(42).nextBytes(pattern);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    Mode mode = "full".equals(a.getOrDefault("--mode", "quick")) ? FULL : QUICK;
    GatewayBench bench =
        new GatewayBench(
            mode,
            Path.of(a.getOrDefault("--jar", "target/s3-encryption-gateway.jar")),
            a.containsKey("--pid-file") ? Path.of(a.get("--pid-file")) : null,
            Long.parseLong(a.getOrDefault("--clk-tck", "100")));
    Runtime.getRuntime().addShutdownHook(new Thread(bench::stopGateway));
    String json = bench.run();
    Path out = Path.of(a.getOrDefault("--out", "bench/results/gateway.json"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json);
    log("wrote " + out);
    System.exit(0);
  }

  static void log(String s) {
    System.out.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + s);
    System.out.flush();
  }

  String run() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", "s3-encryption-gateway issue 10");
    doc.put("mode", mode.name());
    doc.put("started", Instant.now().toString());
    doc.put(
        "host",
        Map.of(
            "cpus", Runtime.getRuntime().availableProcessors(),
            "loadavg_at_start", Files.readString(Path.of("/proc/loadavg")).trim(),
            "java", System.getProperty("java.version")));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("cell_seconds", mode.cell().toSeconds());
    settings.put("max_requests_per_cell", mode.maxRequestsPerCell());
    settings.put("large_object_bytes", mode.largeSize());
    settings.put("parallel_streams", mode.parallelStreams());
    settings.put("ranged_object_bytes", mode.rangedObjectSize());
    settings.put("ranged_concurrency", mode.rangedConcurrency());
    settings.put("list_keys", mode.listKeys());
    settings.put("algorithms", mode.algorithms());
    settings.put("gateway_jvm", "-Xmx512m");
    settings.put(
        "client",
        "AWS SDK v2 S3Client, Apache HTTP client (128 connections), path style, "
            + "requestChecksumCalculation=WHEN_REQUIRED, no retries");
    settings.put(
        "backend", "S3Proxy 2.9.0 (filesystem-nio2) in the harness JVM, behind a counting proxy");
    doc.put("settings", settings);

    Map<String, Map<String, Map<String, Object>>> byTarget = new LinkedHashMap<>();
    Map<String, Object> process = new LinkedHashMap<>();
    try (TestBackend backend = TestBackend.start();
        BenchProxy probe = BenchProxy.start(backend.endpoint())) {
      log("backend " + backend.endpoint() + ", probe " + probe.endpoint());
      try (S3Client direct =
          client(probe.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY)) {
        byTarget.put("direct", suite("direct", direct, "direct", probe, null, null));
      }
      for (String algorithm : mode.algorithms()) {
        Path work = Files.createTempDirectory("s3eg-bench-gw");
        Path gcLog = work.resolve("gc.log");
        int port = startGateway(probe.endpoint(), algorithm, work, gcLog);
        Map<String, Object> proc = new LinkedHashMap<>();
        try (S3Client gw =
            client(URI.create("http://127.0.0.1:" + port), CLIENT_KEY, CLIENT_SECRET)) {
          String bucket = "gw-" + algorithm.toLowerCase().replaceAll("[^a-z0-9]", "");
          byTarget.put(
              "gateway " + algorithm,
              suite("gateway " + algorithm, gw, bucket, probe, gcLog, proc));
        } finally {
          stopGateway();
        }
        process.put(algorithm, proc);
      }
    }
    List<Object> rows = new ArrayList<>();
    Map<String, Map<String, Object>> directRows = byTarget.get("direct");
    for (String id : directRows.keySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("direct", directRows.get(id));
      Map<String, Object> gws = new LinkedHashMap<>();
      for (var e : byTarget.entrySet()) {
        if (!e.getKey().equals("direct")) {
          gws.put(e.getKey().substring("gateway ".length()), e.getValue().get(id));
        }
      }
      row.put("gateway", gws);
      rows.add(row);
    }
    doc.put("rows", rows);
    doc.put("gateway_process", process);
    doc.put("finished", Instant.now().toString());
    doc.put("loadavg_at_end", Files.readString(Path.of("/proc/loadavg")).trim());
    return Json.write(doc);
  }

  /** Every row against one target (the backend directly, or the gateway). */
  Map<String, Map<String, Object>> suite(
      String label,
      S3Client s3,
      String bucket,
      BenchProxy probe,
      Path gcLog,
      Map<String, Object> proc)
      throws Exception {
    log("=== " + label + " ===");
    Map<String, Map<String, Object>> r = new LinkedHashMap<>();
    s3.createBucket(b -> b.bucket(bucket));

    for (int size : new int[] {KIB, 64 * KIB}) {
      for (int k = 0; k < 64; k++) {
        put(s3, bucket, "seed/" + size + "/" + k, size);
      }
    }
    // Warm-up (not measured): JIT of client, gateway and backend paths.
    cell(s3, bucket, "PUT", 64 * KIB, 8, Duration.ofSeconds(2), 400, "warm");
    cell(s3, bucket, "GET", 64 * KIB, 8, Duration.ofSeconds(2), 400, "warm");

    for (int size : new int[] {KIB, 64 * KIB}) {
      String sz = size == KIB ? "1 KiB" : "64 KiB";
      for (String op : new String[] {"PUT", "GET"}) {
        for (int c : new int[] {1, 16, 64}) {
          Map<String, Object> m =
              cell(s3, bucket, op, size, c, mode.cell(), mode.maxRequestsPerCell(), "s");
          r.put("small " + op + " " + sz + " c=" + c, m);
          log(label + " small " + op + " " + sz + " c=" + c + ": " + m);
        }
      }
    }

    // Large objects: MB/s, single stream and parallel streams; gateway CPU, RSS and heap.
    int gcLinesBefore = gcLog == null ? 0 : Files.readAllLines(gcLog).size();
    long cpu0 = cpuTicks();
    long putBytes = 0;
    long getBytes = 0;
    for (int streams : new int[] {1, mode.parallelStreams()}) {
      Map<String, Object> m = largeTransfer(s3, bucket, "PUT", streams);
      putBytes += (long) streams * mode.largeSize();
      r.put("large PUT " + sizeName(mode.largeSize()) + " x" + streams, m);
      log(label + " large PUT x" + streams + ": " + m);
    }
    long cpu1 = cpuTicks();
    for (int streams : new int[] {1, mode.parallelStreams()}) {
      Map<String, Object> m = largeTransfer(s3, bucket, "GET", streams);
      getBytes += (long) streams * mode.largeSize();
      r.put("large GET " + sizeName(mode.largeSize()) + " x" + streams, m);
      log(label + " large GET x" + streams + ": " + m);
    }
    long cpu2 = cpuTicks();
    if (proc != null) {
      double gib = 1L << 30;
      proc.put(
          "cpu_seconds_per_gib_encrypted",
          round((cpu1 - cpu0) / (double) ticksPerSecond / (putBytes / gib)));
      proc.put(
          "cpu_seconds_per_gib_decrypted",
          round((cpu2 - cpu1) / (double) ticksPerSecond / (getBytes / gib)));
      proc.put("rss_high_water_mib", round(vmHwmKib() / 1024.0));
      proc.putAll(heapFromGcLog(gcLog, gcLinesBefore));
      log(label + " process: " + proc);
    }
    r.put("large PUT multipart", multipartProbe(s3, bucket));
    r.put("compression", Map.of("status", "not implemented (no compression in the gateway yet)"));

    // Ranged GET of 100 KiB at random offsets of a large object.
    String rangedKey = "ranged/object.bin";
    putLarge(s3, bucket, rangedKey, mode.rangedObjectSize());
    probe.reset();
    Map<String, Object> ranged = rangedCell(s3, bucket, rangedKey);
    int served = ((Number) ranged.get("requests")).intValue();
    ranged.put("backend_requests", probe.requests().size());
    ranged.put("backend_bytes_per_request", served == 0 ? 0 : probe.responseBytes() / served);
    r.put("ranged GET 100 KiB of " + sizeName(mode.rangedObjectSize()), ranged);
    log(label + " ranged: " + ranged);

    // LIST of many keys.
    populate(s3, bucket, "list/", mode.listKeys());
    probe.reset();
    long t0 = System.nanoTime();
    int keys = 0;
    for (var page :
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("list/").maxKeys(1000))) {
      keys += page.contents().size();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("seconds", round(seconds));
    list.put("keys", keys);
    list.put("backend_requests", probe.requests().size());
    r.put("LIST " + mode.listKeys() + " keys", list);
    log(label + " list: " + list);
    return r;
  }

  /** Creates a multipart upload: the gateway answers 501 for now; recorded, not faked. */
  Map<String, Object> multipartProbe(S3Client s3, String bucket) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mpu/probe")).uploadId();
      s3.abortMultipartUpload(b -> b.bucket(bucket).key("mpu/probe").uploadId(id));
      m.put("status", "supported (not measured)");
    } catch (S3Exception e) {
      m.put("status", "not yet supported (HTTP " + e.statusCode() + ")");
    }
    return m;
  }

  /**
   * One small-object cell: requests/s and latency at a given concurrency, bounded in time and
   * count.
   */
  Map<String, Object> cell(
      S3Client s3,
      String bucket,
      String op,
      int size,
      int concurrency,
      Duration d,
      int max,
      String tag)
      throws Exception {
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long deadline = System.nanoTime() + d.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[256];
                int n = 0;
                for (int i = 0;
                    System.nanoTime() < deadline && issued.incrementAndGet() <= max;
                    i++) {
                  long s = System.nanoTime();
                  try {
                    if (op.equals("PUT")) {
                      put(
                          s3,
                          bucket,
                          tag + "/" + size + "/c" + concurrency + "/" + thread + "-" + i,
                          size);
                    } else {
                      String key = "seed/" + size + "/" + (thread * 7 + i) % 64;
                      s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                    }
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    continue;
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = System.nanoTime() - s;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      for (long v : f.get(d.toSeconds() + 120, TimeUnit.SECONDS)) {
        all.add(v);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", sorted.length);
    m.put("errors", errors.get());
    m.put("req_per_s", round(sorted.length / seconds));
    m.put("p50_ms", round(percentile(sorted, 0.50) / 1e6));
    m.put("p99_ms", round(percentile(sorted, 0.99) / 1e6));
    return m;
  }

  Map<String, Object> rangedCell(S3Client s3, String bucket, String key) throws Exception {
    int len = 100 * KIB;
    long size = mode.rangedObjectSize();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    int concurrency = mode.rangedConcurrency();
    long deadline = System.nanoTime() + mode.cell().toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      Random random = new Random(1000 + t);
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[256];
                int n = 0;
                while (System.nanoTime() < deadline
                    && issued.incrementAndGet() <= mode.maxRequestsPerCell()) {
                  long off = (long) (random.nextDouble() * (size - len));
                  String range = "bytes=" + off + "-" + (off + len - 1);
                  long s = System.nanoTime();
                  try {
                    byte[] got =
                        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range(range))
                            .asByteArray();
                    if (got.length != len) {
                      throw new IllegalStateException(
                          "ranged GET returned " + got.length + " bytes");
                    }
                    bytes.addAndGet(got.length);
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    continue;
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = System.nanoTime() - s;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      for (long v : f.get(mode.cell().toSeconds() + 120, TimeUnit.SECONDS)) {
        all.add(v);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", sorted.length);
    m.put("errors", errors.get());
    m.put("concurrency", concurrency);
    m.put("req_per_s", round(sorted.length / seconds));
    m.put("p50_ms", round(percentile(sorted, 0.50) / 1e6));
    m.put("p99_ms", round(percentile(sorted, 0.99) / 1e6));
    return m;
  }

  /** PUT or GET of {@code streams} large objects in parallel: aggregate MB/s (10^6 bytes/s). */
  Map<String, Object> largeTransfer(S3Client s3, String bucket, String op, int streams)
      throws Exception {
    long size = mode.largeSize();
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    List<Future<Long>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      String key = "large/" + i;
      futures.add(
          pool.submit(
              () -> {
                if (op.equals("PUT")) {
                  putLarge(s3, bucket, key, size);
                  return size;
                }
                long n = 0;
                try (ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(bucket).key(key))) {
                  byte[] buf = new byte[256 * KIB];
                  for (int k; (k = in.read(buf)) > 0; ) {
                    n += k;
                  }
                }
                if (n != size) {
                  throw new IllegalStateException("GET returned " + n + " of " + size + " bytes");
                }
                return n;
              }));
    }
    long total = 0;
    for (Future<Long> f : futures) {
      total += f.get(30, TimeUnit.MINUTES);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("streams", streams);
    m.put("bytes", total);
    m.put("seconds", round(seconds));
    m.put("mb_per_s", round(total / seconds / 1e6));
    return m;
  }

  void put(S3Client s3, String bucket, String key, int size) {
    byte[] body = Arrays.copyOfRange(pattern, 0, size);
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  void putLarge(S3Client s3, String bucket, String key, long size) {
    s3.putObject(
        b -> b.bucket(bucket).key(key),
        RequestBody.fromContentProvider(
            () -> new PatternStream(pattern, size), size, "application/octet-stream"));
  }

  void populate(S3Client s3, String bucket, String prefix, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger next = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      fs.add(
          pool.submit(
              () -> {
                for (int i;
                    (i = next.getAndIncrement()) < count && System.nanoTime() < deadline; ) {
                  put(s3, bucket, prefix + String.format("k%06d", i), 16);
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get(16, TimeUnit.MINUTES);
    }
    pool.shutdownNow();
  }

  static S3Client client(URI endpoint, String key, String secret) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .maxConnections(128)
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2)))
        .overrideConfiguration(
            o ->
                o.apiCallTimeout(Duration.ofMinutes(15))
                    .retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  /** Starts the gateway jar in its own JVM; returns its port once it answers. */
  int startGateway(URI backend, String algorithm, Path work, Path gcLog) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Xlog:gc:file=" + gcLog,
            "-jar",
            jar.toAbsolutePath().toString());
    Path out = work.resolve("gateway.log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.put("LISTEN_ADDR", "127.0.0.1:" + port);
    env.put("BACKEND_ENDPOINT", backend.toString());
    env.put("BACKEND_ACCESS_KEY", TestBackend.ACCESS_KEY);
    env.put("BACKEND_SECRET_KEY", TestBackend.SECRET_KEY);
    env.put("BACKEND_PROVIDER", "generic");
    env.put("AUTH_ACCESS_KEY", CLIENT_KEY);
    env.put("AUTH_SECRET_KEY", CLIENT_SECRET);
    env.put("ENCRYPTION_PASSWORD", PASSWORD);
    env.put("ENCRYPTION_PREFERRED_ALGORITHM", algorithm);
    env.put("DATA_DIR", work.resolve("data").toString());
    Process p = pb.start();
    gateway = p;
    if (pidFile != null) {
      Files.writeString(pidFile, Long.toString(p.pid()));
    }
    log("gateway " + algorithm + " pid " + p.pid() + " port " + port + " log " + out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("gateway exited: " + Files.readString(out));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return port;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "gateway did not listen within 120 s: " + Files.readString(out));
  }

  void stopGateway() {
    Process p = gateway;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    gateway = null;
  }

  long cpuTicks() throws IOException {
    Process p = gateway;
    if (p == null) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  long vmHwmKib() throws IOException {
    Process p = gateway;
    if (p == null) {
      return 0;
    }
    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  static final Pattern GC = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /** Heap used before and after each GC during the large rows, from the gateway's -Xlog:gc. */
  static Map<String, Object> heapFromGcLog(Path gcLog, int fromLine) throws IOException {
    List<String> lines = Files.readAllLines(gcLog);
    double before = 0;
    double after = 0;
    double committed = 0;
    int gcs = 0;
    for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        gcs++;
        before = Math.max(before, mib(m.group(1), m.group(2)));
        after = Math.max(after, mib(m.group(3), m.group(4)));
        committed = Math.max(committed, mib(m.group(5), m.group(6)));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heap_high_water_mib", round(before));
    m.put("heap_live_after_gc_max_mib", round(after));
    m.put("heap_committed_max_mib", round(committed));
    m.put("gcs_during_large_rows", gcs);
    return m;
  }

  static double mib(String n, String unit) {
    double v = Double.parseDouble(n);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }

  static String sizeName(long bytes) {
    return bytes >= 1L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
  }

  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** A fixed-length stream repeating a 1 MiB random pattern (cheap to produce on the client). */
  static final class PatternStream extends InputStream {
    private final byte[] pattern;
    private final long size;
    private long position;

    PatternStream(byte[] pattern, long size) {
      this.pattern = pattern;
      this.size = size;
    }

    @Override
    public int read() {
      return position >= size ? -1 : pattern[(int) (position++ % pattern.length)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int at = (int) (position % pattern.length);
      int n = (int) Math.min(Math.min(len, pattern.length - at), size - position);
      System.arraycopy(pattern, at, b, off, n);
      position += n;
      return n;
    }
  }

  /** A minimal JSON writer for maps, lists, strings and numbers. */
  static final class Json {
    static String write(Object o) {
      StringBuilder sb = new StringBuilder();
      write(sb, o, 0);
      return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object o, int indent) {
      String pad = "  ".repeat(indent + 1);
      if (o instanceof Map<?, ?> map) {
        sb.append("{");
        int i = 0;
        for (var e : map.entrySet()) {
          sb.append(i++ == 0 ? "\n" : ",\n").append(pad);
          string(sb, String.valueOf(e.getKey()));
          sb.append(": ");
          write(sb, e.getValue(), indent + 1);
        }
        sb.append(map.isEmpty() ? "}" : "\n" + "  ".repeat(indent) + "}");
      } else if (o instanceof List<?> list) {
        sb.append("[");
        int i = 0;
        for (Object v : list) {
          sb.append(i++ == 0 ? "\n" : ",\n").append(pad);
          write(sb, v, indent + 1);
        }
        sb.append(list.isEmpty() ? "]" : "\n" + "  ".repeat(indent) + "]");
      } else if (o instanceof Number || o instanceof Boolean) {
        sb.append(o);
      } else if (o == null) {
        sb.append("null");
      } else {
        string(sb, o.toString());
      }
    }

    private static void string(StringBuilder sb, String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
