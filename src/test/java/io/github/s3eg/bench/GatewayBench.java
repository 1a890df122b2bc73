package io.github.s3eg.bench;

import io.github.s3eg.it.CountingProxy;
import io.github.s3eg.it.TestBackend;
import java.io.IOException;
import java.io.InputStream;
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
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gateway benchmark of issue 10: the same AWS SDK v2 client code is driven directly against an
 * S3Proxy backend and through the gateway (fat jar, its own JVM), row by row (direct, then the
 * gateway, so that a shared machine's drifting load hits both alike), and the results are written
 * as JSON. Both paths go through the same {@link CountingProxy} in front of the backend, which
 * counts backend requests and bytes. Started by {@code bench/run.sh}; not part of the tests.
 *
 * <p>Arguments: {@code --mode quick|full --jar <gateway jar> --out <json> [--pid-file <file>]
 * [--clk-tck <n>]}; the pid file gets one line per gateway started, for the caller's cleanup.
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
      List<Long> largeSizes,
      int parallelStreams,
      long rangedObjectSize,
      int rangedConcurrency,
      int listKeys,
      List<Variant> gateways) {

    /** The largest large-object size: multipart rows and the -Xmx256m check use it. */
    long largeSize() {
      return largeSizes.get(largeSizes.size() - 1);
    }
  }

  /**
   * One gateway configuration under test: a name for the tables and the settings (environment) that
   * make it, e.g. the cipher or compression.
   */
  record Variant(String name, Map<String, String> settings) {}

  static final Variant AES = new Variant("AES256-GCM", algorithm("AES256-GCM"));
  static final Variant CHACHA = new Variant("CHACHA20-POLY1305", algorithm("CHACHA20-POLY1305"));

  /**
   * AES-256-GCM with zstd compression of every object the benchmark writes (its objects are {@code
   * application/octet-stream}, not in the default list of compressible types): on the random data
   * of most rows this is the worst case, compression work that saves nothing; the text rows show
   * what it buys on compressible data.
   */
  static final Variant AES_ZSTD =
      new Variant(
          "AES256-GCM+zstd",
          Map.of(
              "ENCRYPTION_PREFERRED_ALGORITHM", "AES256-GCM",
              "COMPRESSION_ENABLED", "true",
              "COMPRESSION_ALGORITHM", "zstd",
              "COMPRESSION_CONTENT_TYPES", "application/octet-stream,text/plain"));

  static Map<String, String> algorithm(String name) {
    return Map.of("ENCRYPTION_PREFERRED_ALGORITHM", name);
  }

  /** Multipart rows: part size and parts uploaded at once (what awscli does by default: 8 MiB). */
  static final int PART_SIZE = 8 * MIB;

  static final int PART_THREADS = 4;

  /** Size of the text (compressible) rows. */
  static final long TEXT_SIZE = 64L * MIB;

  /** Unmeasured small-object warm-up per operation and target (see {@link #suite}). */
  static final Duration SMALL_WARM_UP = Duration.ofSeconds(20);

  static final int SMALL_WARM_UP_REQUESTS = 5_000;

  static final Mode QUICK =
      new Mode(
          "quick",
          Duration.ofSeconds(2),
          20_000,
          List.of(64L * MIB),
          8,
          256L * MIB,
          4,
          2_000,
          List.of(AES, AES_ZSTD));
  static final Mode FULL =
      new Mode(
          "full",
          Duration.ofSeconds(10),
          200_000,
          List.of(64L * MIB, 1024L * MIB),
          8,
          1024L * MIB,
          4,
          10_000,
          List.of(AES, CHACHA, AES_ZSTD));

  private final Mode mode;
  private final Path jar;
  private final Path pidFile;
  private final long ticksPerSecond;
  private final byte[] pattern = new byte[MIB];
  private final byte[] text = logLines(16 * MIB);
  private final List<Process> gateways = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Path> scratch = new java.util.concurrent.CopyOnWriteArrayList<>();

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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  bench.stopGateways();
                  bench.scratch.forEach(GatewayBench::deleteTree);
                }));
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
    settings.put("large_object_sizes", mode.largeSizes());
    settings.put("parallel_streams", mode.parallelStreams());
    settings.put("ranged_object_bytes", mode.rangedObjectSize());
    settings.put("ranged_concurrency", mode.rangedConcurrency());
    settings.put("list_keys", mode.listKeys());
    settings.put("gateways", mode.gateways().stream().map(Variant::name).toList());
    settings.put("part_size", PART_SIZE);
    settings.put("part_threads", PART_THREADS);
    settings.put("text_bytes", TEXT_SIZE);
    settings.put("gateway_jvm", "-Xmx512m");
    settings.put(
        "client",
        "AWS SDK v2 S3Client, Apache HTTP client (128 connections), path style, "
            + "requestChecksumCalculation=WHEN_REQUIRED, no retries");
    settings.put(
        "backend", "S3Proxy 2.9.0 (filesystem-nio2) in the harness JVM, behind a counting proxy");
    doc.put("settings", settings);

    Map<String, Object> process = new LinkedHashMap<>();
    try (TestBackend backend = TestBackend.start();
        CountingProxy probe = CountingProxy.start(backend.endpoint())) {
      scratch.add(backend.directory());
      log("backend " + backend.endpoint() + ", probe " + probe.endpoint());
      List<Target> targets = new ArrayList<>();
      try {
        targets.add(
            new Target(
                "direct",
                client(probe.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY),
                presigner(probe.endpoint(), TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY),
                "direct",
                null,
                null,
                null));
        for (Variant variant : mode.gateways()) {
          Path work = Files.createTempDirectory("s3eg-bench-gw");
          scratch.add(work);
          Path gcLog = work.resolve("gc.log");
          int port = startGateway(probe.endpoint(), variant, work, gcLog);
          Process p = gateways.get(gateways.size() - 1);
          Map<String, Object> proc = new LinkedHashMap<>();
          process.put(variant.name(), proc);
          targets.add(
              new Target(
                  variant.name(),
                  client(URI.create("http://127.0.0.1:" + port), CLIENT_KEY, CLIENT_SECRET),
                  presigner(URI.create("http://127.0.0.1:" + port), CLIENT_KEY, CLIENT_SECRET),
                  "gw-"
                      + variant
                          .name()
                          .toLowerCase(java.util.Locale.ROOT)
                          .replaceAll("[^a-z0-9]", ""),
                  p,
                  gcLog,
                  proc));
        }
        suite(targets, probe);
      } finally {
        for (Target t : targets) {
          t.s3().close();
          t.presigner().close();
        }
        stopGateways();
      }
      List<Object> rows = new ArrayList<>();
      for (String id : targets.get(0).results().keySet()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("direct", targets.get(0).results().get(id));
        Map<String, Object> gws = new LinkedHashMap<>();
        for (Target t : targets.subList(1, targets.size())) {
          gws.put(t.name(), t.results().get(id));
        }
        row.put("gateway", gws);
        rows.add(row);
      }
      doc.put("rows", rows);
    } finally {
      for (Path dir : scratch) {
        deleteTree(dir);
      }
    }
    doc.put("gateway_process", process);
    doc.put("finished", Instant.now().toString());
    doc.put("loadavg_at_end", Files.readString(Path.of("/proc/loadavg")).trim());
    return Json.write(doc);
  }

  /** One side of the comparison: the backend directly, or a gateway (with its process). */
  record Target(
      String name,
      S3Client s3,
      S3Presigner presigner,
      String bucket,
      Process process,
      Path gcLog,
      Map<String, Object> proc,
      Map<String, Map<String, Object>> results) {
    Target(
        String name,
        S3Client s3,
        S3Presigner presigner,
        String bucket,
        Process p,
        Path gcLog,
        Map<String, Object> m) {
      this(name, s3, presigner, bucket, p, gcLog, m, new LinkedHashMap<>());
    }
  }

  /** A measurement of one row against one target. */
  interface Measure {
    Map<String, Object> on(Target t) throws Exception;
  }

  /**
   * Measures one row on every target, one right after the other (direct, then each gateway), so
   * that the load of a shared machine, which drifts over minutes, hits both sides alike.
   */
  void row(List<Target> targets, String id, Measure measure) throws Exception {
    for (Target t : targets) {
      Path access = t.gcLog() == null ? null : t.gcLog().resolveSibling("gateway.log");
      boolean latencyRow = id.startsWith("small") || id.startsWith("ranged");
      int before = access != null && latencyRow ? Files.readAllLines(access).size() : 0;
      if (probe != null) {
        probe.reset(); // keeps the probe's request log small over a long run
      }
      Map<String, Object> m = measure.on(t);
      if (access != null && latencyRow) {
        m.put("gateway_access_log_p50_ms", round(accessLogP50(access, before)));
      }
      t.results().put(id, m);
      log(t.name() + " | " + id + ": " + m);
    }
  }

  /** Every row, interleaved across the targets. */
  private CountingProxy probe;

  void suite(List<Target> targets, CountingProxy probe) throws Exception {
    this.probe = probe;
    for (Target t : targets) {
      t.s3().createBucket(b -> b.bucket(t.bucket()));
      for (int size : new int[] {KIB, 64 * KIB}) {
        for (int k = 0; k < 64; k++) {
          put(t.s3(), t.bucket(), "seed/" + size + "/" + k, size);
        }
      }
      // Warm-up (not measured): JIT of client, gateway and backend paths.
      cell(t.s3(), t.bucket(), "PUT", 64 * KIB, 8, Duration.ofSeconds(2), 400, "warm");
      cell(t.s3(), t.bucket(), "GET", 64 * KIB, 8, Duration.ofSeconds(2), 400, "warm");
      // The gateway's small-request path (Camel, two SDK clients, Vert.x) needs thousands of
      // requests before C2 has compiled it: measured on this machine, a 1 KiB PUT at concurrency 1
      // went from ~14 ms over the first few hundred requests to ~4 ms after ~5,000. Without this
      // the c=1 cells (a few hundred requests) measured the JIT, not the steady state.
      cell(t.s3(), t.bucket(), "PUT", KIB, 1, SMALL_WARM_UP, SMALL_WARM_UP_REQUESTS, "warm");
      cell(t.s3(), t.bucket(), "GET", KIB, 1, SMALL_WARM_UP, SMALL_WARM_UP_REQUESTS, "warm");
    }

    for (int size : new int[] {KIB, 64 * KIB}) {
      String sz = size == KIB ? "1 KiB" : "64 KiB";
      for (String op : new String[] {"PUT", "GET"}) {
        for (int c : new int[] {1, 16, 64}) {
          row(
              targets,
              "small " + op + " " + sz + " c=" + c,
              t ->
                  cell(
                      t.s3(),
                      t.bucket(),
                      op,
                      size,
                      c,
                      mode.cell(),
                      mode.maxRequestsPerCell(),
                      "s"));
        }
      }
    }

    // Unmeasured: the first streaming PUT and GET of each process. The small rows before run only
    // the gateway's in-memory body path; without this the first large row (64 MiB, single stream)
    // measured a cold streaming path: 2.4-2.7 s, against 0.53-0.66 s for the 64 MiB text PUT of the
    // same client later in the same run (docs/performance.md, "The 64 MiB single-stream PUT"). What
    // it costs a freshly started process is not hidden: the results keep it as
    // first_large_put_seconds / first_large_get_seconds.
    for (Target t : targets) {
      long start = System.nanoTime();
      putLarge(t.s3(), t.bucket(), "large/first", mode.largeSizes().get(0));
      double putSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      try (ResponseInputStream<GetObjectResponse> in =
          t.s3().getObject(b -> b.bucket(t.bucket()).key("large/first"))) {
        drain(in, mode.largeSizes().get(0));
      }
      double getSeconds = (System.nanoTime() - start) / 1e9;
      t.s3().deleteObject(b -> b.bucket(t.bucket()).key("large/first"));
      log(
          t.name()
              + " | first large PUT (warm-up, not a row): "
              + round(putSeconds)
              + " s, GET "
              + round(getSeconds)
              + " s");
      if (t.proc() != null) {
        t.proc().put("first_large_put_seconds", round(putSeconds));
        t.proc().put("first_large_get_seconds", round(getSeconds));
      }
    }
    // Large objects: MB/s, single stream and parallel streams; gateway CPU, RSS and heap.
    // Per target: [PUT CPU ticks, GET CPU ticks, PUT bytes, GET bytes].
    Map<Target, long[]> ticks = new java.util.IdentityHashMap<>();
    Map<Target, Integer> gcLinesBefore = new java.util.IdentityHashMap<>();
    for (Target t : targets) {
      ticks.put(t, new long[4]);
      gcLinesBefore.put(t, t.gcLog() == null ? 0 : Files.readAllLines(t.gcLog()).size());
    }
    // Every size of the mode, smallest first; each size's GETs read what its PUTs wrote.
    for (long size : mode.largeSizes()) {
      for (String op : new String[] {"PUT", "GET"}) {
        for (int streams : new int[] {1, mode.parallelStreams()}) {
          int slot = op.equals("PUT") ? 0 : 1;
          row(
              targets,
              "large " + op + " " + sizeName(size) + " x" + streams,
              t -> {
                long before = cpuTicks(t.process());
                Map<String, Object> m = largeTransfer(t.s3(), t.bucket(), op, streams, size);
                ticks.get(t)[slot] += cpuTicks(t.process()) - before;
                ticks.get(t)[slot + 2] += (long) streams * size;
                return m;
              });
        }
      }
    }
    // The same with a plain HTTP client, as curl or a browser sends: presigned URLs, the body as
    // UNSIGNED-PAYLOAD, no checksums. Single stream at the largest size, parallel streams at the
    // smallest (8 x 1 GiB more per target would double a full run).
    Map<Target, long[]> plainTicks = new java.util.IdentityHashMap<>();
    for (Target t : targets) {
      plainTicks.put(t, new long[4]);
    }
    List<long[]> plainCells =
        List.of(
            new long[] {mode.largeSize(), 1},
            new long[] {mode.largeSizes().get(0), mode.parallelStreams()});
    for (long[] cell : plainCells) {
      long size = cell[0];
      int streams = (int) cell[1];
      for (String op : new String[] {"PUT", "GET"}) {
        int slot = op.equals("PUT") ? 0 : 1;
        row(
            targets,
            "large presigned " + op + " " + sizeName(size) + " x" + streams,
            t -> {
              long before = cpuTicks(t.process());
              Map<String, Object> m = largePlainTransfer(t, op, streams, size);
              plainTicks.get(t)[slot] += cpuTicks(t.process()) - before;
              plainTicks.get(t)[slot + 2] += (long) streams * size;
              return m;
            });
      }
    }
    for (Target t : targets) {
      for (int i = 0; i < mode.parallelStreams(); i++) {
        String key = "large/" + i;
        t.s3().deleteObject(b -> b.bucket(t.bucket()).key(key));
        String plainKey = "large-plain/" + i;
        t.s3().deleteObject(b -> b.bucket(t.bucket()).key(plainKey));
      }
      if (t.proc() != null) {
        long[] p = plainTicks.get(t);
        double gibs = 1L << 30;
        t.proc()
            .put(
                "cpu_seconds_per_gib_encrypted_presigned",
                round(p[0] / (double) ticksPerSecond / (p[2] / gibs)));
        t.proc()
            .put(
                "cpu_seconds_per_gib_decrypted_presigned",
                round(p[1] / (double) ticksPerSecond / (p[3] / gibs)));
        double gib = 1L << 30;
        long[] k = ticks.get(t);
        t.proc()
            .put(
                "cpu_seconds_per_gib_encrypted",
                round(k[0] / (double) ticksPerSecond / (k[2] / gib)));
        t.proc()
            .put(
                "cpu_seconds_per_gib_decrypted",
                round(k[1] / (double) ticksPerSecond / (k[3] / gib)));
        t.proc().put("rss_high_water_mib", round(vmHwmKib(t.process()) / 1024.0));
        t.proc().putAll(heapFromGcLog(t.gcLog(), gcLinesBefore.get(t)));
        log(t.name() + " process: " + t.proc());
      }
    }
    // The heap target, tested directly: the same parallel large transfers through a gateway whose
    // heap is capped at 256 MiB (it exits on OutOfMemoryError). The -Xmx512m figures above say
    // how much heap G1 chooses to use when it has more, not how much the gateway needs.
    Target capped = targets.get(1);
    capped.proc().put("xmx256m_check", heapCapCheck(probe.endpoint(), capped.bucket()));
    log(capped.name() + " -Xmx256m check: " + capped.proc().get("xmx256m_check"));

    // Multipart: an object of the large size in 8 MiB parts, 4 parts at a time, then read back.
    String mpKey = "multipart/object.bin";
    row(
        targets,
        "multipart PUT " + sizeName(mode.largeSize()) + " (8 MiB parts, 4 at a time)",
        t -> multipartUpload(t.s3(), t.bucket(), mpKey, mode.largeSize()));
    row(
        targets,
        "multipart GET " + sizeName(mode.largeSize()) + " x1",
        t -> timedGet(t.s3(), t.bucket(), mpKey, mode.largeSize()));
    for (Target t : targets) {
      t.s3().deleteObject(b -> b.bucket(t.bucket()).key(mpKey));
    }

    // Compressible data (log lines): what compression buys in backend bytes and time.
    String textKey = "text/object.log";
    Target direct = targets.get(0);
    row(
        targets,
        "text PUT " + sizeName(TEXT_SIZE) + " x1",
        t -> {
          long t0 = System.nanoTime();
          t.s3()
              .putObject(
                  b -> b.bucket(t.bucket()).key(textKey).contentType("text/plain"),
                  RequestBody.fromContentProvider(
                      () -> new PatternStream(text, TEXT_SIZE), TEXT_SIZE, "text/plain"));
          Map<String, Object> m = rate(TEXT_SIZE, System.nanoTime() - t0);
          // What the backend stores, asked of the backend itself.
          m.put(
              "backend_stored_bytes",
              direct.s3().headObject(b -> b.bucket(t.bucket()).key(textKey)).contentLength());
          return m;
        });
    row(
        targets,
        "text GET " + sizeName(TEXT_SIZE) + " x1",
        t -> timedGet(t.s3(), t.bucket(), textKey, TEXT_SIZE));

    // Ranged GET of 100 KiB at random offsets of a large object.
    String rangedKey = "ranged/object.bin";
    for (Target t : targets) {
      putLarge(t.s3(), t.bucket(), rangedKey, mode.rangedObjectSize());
    }
    row(
        targets,
        "ranged GET 100 KiB of " + sizeName(mode.rangedObjectSize()),
        t -> {
          probe.reset();
          Map<String, Object> ranged = rangedCell(t.s3(), t.bucket(), rangedKey);
          int served = ((Number) ranged.get("requests")).intValue();
          ranged.put("backend_requests", probe.requests().size());
          ranged.put("backend_bytes_per_request", served == 0 ? 0 : probe.responseBytes() / served);
          return ranged;
        });

    // LIST of many keys.
    for (Target t : targets) {
      populate(t.s3(), t.bucket(), "list/", mode.listKeys());
    }
    // Listed twice: the row is the second listing; the first one's backend requests are kept,
    // because a gateway with BACKEND_MULTIPART_ETAGS=false (S3Proxy) lists its multipart indexes
    // once per bucket (then caches them) on its first listing.
    row(
        targets,
        "LIST " + mode.listKeys() + " keys",
        t -> {
          probe.reset();
          list(t);
          int first = probe.requests().size();
          probe.reset();
          Map<String, Object> m = list(t);
          m.put("backend_requests_first_listing", first);
          return m;
        });
  }

  /**
   * Runs the parallel large PUT and GET through a gateway of the first variant started with {@code
   * -Xmx256m}: completed (no OutOfMemoryError exit), MB/s, and its GC figures.
   */
  Map<String, Object> heapCapCheck(URI backend, String bucket) throws Exception {
    Path work = Files.createTempDirectory("s3eg-bench-gw256");
    scratch.add(work);
    Path gcLog = work.resolve("gc.log");
    int port = startGateway(backend, mode.gateways().get(0), work, gcLog, "256m");
    Process p = gateways.get(gateways.size() - 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_heap", "-Xmx256m");
    m.put("streams", mode.parallelStreams());
    m.put("object_bytes", mode.largeSize());
    try (S3Client s3 = client(URI.create("http://127.0.0.1:" + port), CLIENT_KEY, CLIENT_SECRET)) {
      for (String op : new String[] {"PUT", "GET"}) {
        Map<String, Object> r =
            largeTransfer(s3, bucket, op, mode.parallelStreams(), mode.largeSize());
        m.put(op.toLowerCase(java.util.Locale.ROOT) + "_mb_per_s", r.get("mb_per_s"));
      }
      m.put("completed", p.isAlive());
      for (int i = 0; i < mode.parallelStreams(); i++) {
        String key = "large/" + i;
        s3.deleteObject(b -> b.bucket(bucket).key(key));
      }
    } catch (Exception e) {
      m.put("completed", false);
      m.put(
          "failure", e.toString() + (p.isAlive() ? "" : " (gateway exited " + p.exitValue() + ")"));
    }
    m.put("rss_high_water_mib", p.isAlive() ? round(vmHwmKib(p) / 1024.0) : null);
    m.putAll(heapFromGcLog(gcLog, 0));
    p.destroy();
    p.waitFor(20, TimeUnit.SECONDS);
    gateways.remove(p);
    return m;
  }

  Map<String, Object> list(Target t) {
    CountingProxy probe = this.probe;
    long t0 = System.nanoTime();
    int keys = 0;
    for (var page :
        t.s3().listObjectsV2Paginator(b -> b.bucket(t.bucket()).prefix("list/").maxKeys(1000))) {
      keys += page.contents().size();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("seconds", round(seconds));
    list.put("keys", keys);
    list.put("backend_requests", probe.requests().size());
    return list;
  }

  /**
   * Uploads {@code size} bytes in {@link #PART_SIZE} parts, {@link #PART_THREADS} at a time, and
   * completes the upload: MB/s of the whole (create to complete).
   */
  Map<String, Object> multipartUpload(S3Client s3, String bucket, String key, long size)
      throws Exception {
    long t0 = System.nanoTime();
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    int parts = (int) ((size + PART_SIZE - 1) / PART_SIZE);
    ExecutorService pool = Executors.newFixedThreadPool(PART_THREADS);
    List<Future<software.amazon.awssdk.services.s3.model.CompletedPart>> futures =
        new ArrayList<>();
    for (int i = 1; i <= parts; i++) {
      int number = i;
      long length = Math.min(PART_SIZE, size - (long) (number - 1) * PART_SIZE);
      futures.add(
          pool.submit(
              () -> {
                String etag =
                    s3.uploadPart(
                            b ->
                                b.bucket(bucket)
                                    .key(key)
                                    .uploadId(id)
                                    .partNumber(number)
                                    .contentLength(length),
                            RequestBody.fromContentProvider(
                                () -> new PatternStream(pattern, length),
                                length,
                                "application/octet-stream"))
                        .eTag();
                return software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                    .partNumber(number)
                    .eTag(etag)
                    .build();
              }));
    }
    List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
    try {
      for (var f : futures) {
        done.add(f.get(30, TimeUnit.MINUTES));
      }
    } catch (Exception e) {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
      throw e;
    } finally {
      pool.shutdownNow();
    }
    s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(u -> u.parts(done)));
    Map<String, Object> m = rate(size, System.nanoTime() - t0);
    m.put("parts", parts);
    return m;
  }

  /** One GET of a whole object, read to its end and checked for length: MB/s. */
  Map<String, Object> timedGet(S3Client s3, String bucket, String key, long size)
      throws IOException {
    long t0 = System.nanoTime();
    long n = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      byte[] buf = new byte[256 * KIB];
      for (int k; (k = in.read(buf)) > 0; ) {
        n += k;
      }
    }
    if (n != size) {
      throw new IllegalStateException("GET returned " + n + " of " + size + " bytes");
    }
    return rate(size, System.nanoTime() - t0);
  }

  static Map<String, Object> rate(long bytes, long nanos) {
    double seconds = nanos / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("streams", 1);
    m.put("bytes", bytes);
    m.put("seconds", round(seconds));
    m.put("mb_per_s", round(bytes / seconds / 1e6));
    return m;
  }

  /**
   * {@code size} bytes of made-up access-log lines (pseudo-random ids, keys, sizes and times), as
   * compressible as real logs (zstd's default level packs them to roughly a quarter).
   */
  static byte[] logLines(int size) {
    Random r = new Random(7);
    String[] verbs = {"GET", "PUT", "HEAD", "DELETE", "POST"};
    String[] status = {"200", "200", "200", "204", "206", "304", "404", "403"};
    StringBuilder sb = new StringBuilder(size + 256);
    long time = 1_790_000_000_000L;
    while (sb.length() < size) {
      time += r.nextInt(50);
      sb.append(Instant.ofEpochMilli(time))
          .append(" INFO s3eg.access ")
          .append(verbs[r.nextInt(verbs.length)])
          .append(" /bucket-")
          .append(r.nextInt(8))
          .append("/logs/2026/11/")
          .append(String.format("%02d", 1 + r.nextInt(29)))
          .append("/part-")
          .append(String.format("%05d", r.nextInt(100_000)))
          .append(".json ")
          .append(status[r.nextInt(status.length)])
          .append(' ')
          .append(r.nextInt(1 << 20))
          .append("B ")
          .append(String.format("%.2f", r.nextDouble() * 20))
          .append("ms id=")
          .append(Long.toHexString(r.nextLong()).toUpperCase(java.util.Locale.ROOT))
          .append('\n');
    }
    return Arrays.copyOf(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), size);
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
  Map<String, Object> largeTransfer(S3Client s3, String bucket, String op, int streams, long size)
      throws Exception {
    return parallel(
        streams,
        "large/",
        key -> {
          if (op.equals("PUT")) {
            putLarge(s3, bucket, key, size);
            return size;
          }
          try (ResponseInputStream<GetObjectResponse> in =
              s3.getObject(b -> b.bucket(bucket).key(key))) {
            return drain(in, size);
          }
        });
  }

  /**
   * PUT or GET of {@code streams} large objects in parallel through presigned URLs with the JDK's
   * HTTP client (no SDK, no payload signing, no checksums): aggregate MB/s (10^6 bytes/s).
   */
  Map<String, Object> largePlainTransfer(Target t, String op, int streams, long size)
      throws Exception {
    Map<String, Object> m =
        parallel(
            streams,
            "large-plain/",
            key -> {
              if (op.equals("PUT")) {
                URI url =
                    t.presigner()
                        .presignPutObject(
                            r ->
                                r.signatureDuration(Duration.ofHours(1))
                                    .putObjectRequest(b -> b.bucket(t.bucket()).key(key)))
                        .url()
                        .toURI();
                java.net.http.HttpResponse<String> r =
                    plainHttp.send(
                        java.net.http.HttpRequest.newBuilder(url)
                            .PUT(
                                java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                                    java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new PatternStream(pattern, size)),
                                    size))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                  throw new IllegalStateException(
                      "presigned PUT: " + r.statusCode() + " " + r.body());
                }
                return size;
              }
              URI url =
                  t.presigner()
                      .presignGetObject(
                          r ->
                              r.signatureDuration(Duration.ofHours(1))
                                  .getObjectRequest(b -> b.bucket(t.bucket()).key(key)))
                      .url()
                      .toURI();
              java.net.http.HttpResponse<InputStream> r =
                  plainHttp.send(
                      java.net.http.HttpRequest.newBuilder(url).GET().build(),
                      java.net.http.HttpResponse.BodyHandlers.ofInputStream());
              try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                  throw new IllegalStateException("presigned GET: " + r.statusCode());
                }
                return drain(in, size);
              }
            });
    m.put("client", "JDK HttpClient, presigned URLs (UNSIGNED-PAYLOAD)");
    return m;
  }

  /** One stream's transfer of the object named {@code key}: the bytes it moved. */
  interface StreamTransfer {
    long run(String key) throws Exception;
  }

  /**
   * Runs {@code transfer} on {@code streams} threads at once, on keys {@code prefix + i}: aggregate
   * MB/s (10^6 bytes/s).
   */
  static Map<String, Object> parallel(int streams, String prefix, StreamTransfer transfer)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    List<Future<Long>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      String key = prefix + i;
      futures.add(pool.submit(() -> transfer.run(key)));
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

  /** Reads {@code in} to its end; fails unless it held exactly {@code size} bytes. */
  static long drain(InputStream in, long size) throws IOException {
    long n = 0;
    byte[] buf = new byte[256 * KIB];
    for (int k; (k = in.read(buf)) > 0; ) {
      n += k;
    }
    if (n != size) {
      throw new IllegalStateException("GET returned " + n + " of " + size + " bytes");
    }
    return n;
  }

  private final java.net.http.HttpClient plainHttp =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  static S3Presigner presigner(URI endpoint, String key, String secret) {
    return S3Presigner.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .serviceConfiguration(
            software.amazon.awssdk.services.s3.S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .build())
        .build();
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
  int startGateway(URI backend, Variant variant, Path work, Path gcLog) throws Exception {
    return startGateway(backend, variant, work, gcLog, "512m");
  }

  int startGateway(URI backend, Variant variant, Path work, Path gcLog, String maxHeap)
      throws Exception {
    Map<String, String> settings = new LinkedHashMap<>(variant.settings());
    settings.put("AUTH_ACCESS_KEY", CLIENT_KEY);
    settings.put("AUTH_SECRET_KEY", CLIENT_SECRET);
    settings.put("ENCRYPTION_PASSWORD", PASSWORD);
    settings.put("DATA_DIR", work.resolve("data").toString());
    GatewayProcess gateway =
        GatewayProcess.start(
            jar,
            backend,
            jvmOptions(gcLog, maxHeap),
            settings,
            work.resolve("gateway.log"),
            pidFile);
    gateways.add(gateway.process());
    log(
        "gateway "
            + variant.name()
            + " pid "
            + gateway.process().pid()
            + " port "
            + gateway.port()
            + " log "
            + gateway.log());
    return gateway.port();
  }

  /**
   * The gateway's JVM options: the issue's {@code -Xmx512m}, a GC log for the heap figures, and
   * whatever {@code BENCH_GATEWAY_JVM_OPTS} adds (e.g. {@code
   * -XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile} to profile a run).
   */
  static List<String> jvmOptions(Path gcLog, String maxHeap) {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + maxHeap);
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.add("-Xlog:gc:file=" + gcLog);
    String extra = System.getenv("BENCH_GATEWAY_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    return options;
  }

  /** Removes a scratch directory the harness created (backend objects, gateway data and logs). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log("could not remove " + dir + ": " + e);
    }
  }

  void stopGateways() {
    for (Process p : gateways) {
      p.destroy();
    }
    for (Process p : gateways) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    gateways.clear();
  }

  static long cpuTicks(Process p) throws IOException {
    if (p == null) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long vmHwmKib(Process p) throws IOException {
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
    m.put("heap_after_gc_max_mib", round(after));
    m.put("heap_committed_max_mib", round(committed));
    m.put("gcs_during_large_rows", gcs);
    return m;
  }

  static final Pattern ACCESS = Pattern.compile("s3eg\\.access .* (\\d+(?:\\.\\d+)?)ms id=");

  /**
   * The median request time the gateway itself logged (its access log: from request to response,
   * including its backend call) for the requests logged after line {@code fromLine}.
   */
  static double accessLogP50(Path log, int fromLine) throws IOException {
    List<String> lines = Files.readAllLines(log);
    List<Double> ms = new ArrayList<>();
    for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
      Matcher m = ACCESS.matcher(line);
      if (m.find()) {
        ms.add(Double.parseDouble(m.group(1)));
      }
    }
    if (ms.isEmpty()) {
      return 0;
    }
    ms.sort(null);
    return ms.get((int) Math.ceil(0.5 * ms.size()) - 1);
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
