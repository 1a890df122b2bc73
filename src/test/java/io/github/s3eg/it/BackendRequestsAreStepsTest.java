package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;

/**
 * Every backend request an operation makes is a step of its route: for each operation (and the
 * variants that make more requests: multipart objects with and without this instance's cached part
 * index, a missing index, ranges, compressed objects, late ETags), the requests that reached the
 * backend (counted on the wire by the {@link CountingProxy} between gateway and backend) equal the
 * backend steps that ran (the gateway's {@code backend.requests} counter, by call), and each call
 * is a {@code backend:…} endpoint of that operation's route.
 */
class BackendRequestsAreStepsTest {

  private static final String BUCKET = "steps";
  private static final int MIB = 1024 * 1024;

  /** The look-up of a bucket's versioning and Object Lock ({@code bucketFeatures} in s3-api). */
  private static final List<String> BUCKET_FEATURE_CALLS =
      List.of("getBucketVersioning", "getObjectLockConfiguration");

  private static GatewayFixture gateway;
  private static GatewayFixture cold;
  private static S3Client s3;
  private static S3Client s3cold;

  @BeforeAll
  static void start() throws Exception {
    // A small spool limit: a body above it gets its ETag entry after the upload (a self-copy).
    gateway =
        GatewayFixture.start(
            Map.of(
                "ENCRYPTION_SPOOL_LIMIT", "1024",
                "COMPRESSION_ENABLED", "true",
                "COMPRESSION_CONTENT_TYPES", "text/plain",
                "CACHE_ENABLED", "false"));
    s3 = gateway.whenRequiredClient();
    s3.createBucket(b -> b.bucket(BUCKET));
    // A second instance on the same backend, with none of the first one's caches.
    cold = GatewayFixture.startOn(gateway.backend(), Map.of());
    s3cold = cold.whenRequiredClient();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    s3cold.close();
    cold.close();
    gateway.close();
  }

  @Test
  void putGetHeadAndCopyOfSinglePutObjects() throws Exception {
    byte[] small = bytes(100, 1);
    assertCalls(
        gateway,
        "PutObject",
        List.of("putObject"),
        () -> put("small", small, "application/octet-stream"));
    byte[] large = bytes(300_000, 2);
    assertCalls(
        gateway,
        "PutObject",
        List.of("putObject", "copyObject"),
        () -> put("late-etag", large, "application/octet-stream"));
    assertCalls(gateway, "GetObject", List.of("getObject"), () -> get("late-etag", null));
    assertCalls(
        gateway, "GetObject", List.of("getObject"), () -> get("late-etag", "bytes=70000-200000"));
    assertCalls(
        gateway,
        "HeadObject",
        List.of("headObject"),
        () -> s3.headObject(b -> b.bucket(BUCKET).key("late-etag")));
    assertCalls(
        gateway,
        "CopyObject",
        // The source's HEAD, its tags (a copy gets them: S3's COPY tagging directive), the copy.
        List.of("headObject", "getObjectTagging", "copyObject"),
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket(BUCKET)
                        .sourceKey("small")
                        .destinationBucket(BUCKET)
                        .destinationKey("small-copy")));
    assertCalls(
        gateway,
        "DeleteObject",
        // The object, the listing of its per-upload indexes (none), its checksum record.
        List.of("deleteObject", "listObjectsV2", "deleteRecord"),
        () -> s3.deleteObject(b -> b.bucket(BUCKET).key("small-copy")));
  }

  @Test
  void compressedObjects() throws Exception {
    byte[] text =
        "compressible text, line after line\n".repeat(40_000).getBytes(StandardCharsets.UTF_8);
    assertCalls(gateway, "PutObject", List.of("putObject"), () -> put("text", text, "text/plain"));
    assertCalls(gateway, "GetObject", List.of("getObject"), () -> get("text", null));
    // A range: the planned read is of no use, then the covering frames' index entries and frames.
    assertCalls(
        gateway,
        "GetObject",
        List.of("getObject", "getObject", "getObject"),
        () -> get("text", "bytes=100-200"));
    // A range planned past the (shorter) compressed body: the backend refuses it (416), the
    // object's first byte is read for its size, then the index entries and the frames.
    assertCalls(
        gateway,
        "GetObject",
        List.of("getObject", "getObject", "getObject", "getObject"),
        () -> get("text", "bytes=500000-600000"));
  }

  @Test
  void multipartUploadsAndObjects() throws Exception {
    String key = "parts";
    String uploadId =
        assertCalls(
            gateway,
            "CreateMultipartUpload",
            List.of("createMultipartUpload", "putRecord"),
            () -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId());
    byte[] part1 = bytes(5 * MIB, 3);
    byte[] part2 = bytes(MIB, 4);
    String etag1 =
        assertCalls(
            gateway,
            "UploadPart",
            List.of("uploadPart"),
            () -> uploadPart(s3, key, uploadId, 1, part1));
    // Another instance has no copy of the upload's record: it reads it first.
    String etag2 =
        assertCalls(
            cold,
            "UploadPart",
            List.of("getObject", "uploadPart"),
            () -> uploadPart(s3cold, key, uploadId, 2, part2));
    assertCalls(
        gateway,
        "CompleteMultipartUpload",
        // The index before the backend's Complete (format v4), then the bookkeeping: the part
        // checksum markers (none here: the key's earlier checksum record) and the upload record.
        List.of(
            "listParts", "putRecord", "completeMultipartUpload", "deleteRecords", "deleteRecord"),
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket(BUCKET)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(
                            m ->
                                m.parts(
                                    CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                                    CompletedPart.builder().partNumber(2).eTag(etag2).build()))));
    // This instance wrote the index: reads need no more than the object's own.
    assertCalls(gateway, "GetObject", List.of("getObject"), () -> get(key, null));
    // A range deep inside part 1 (not in its first segment): the part's start too (its header).
    assertCalls(
        gateway,
        "GetObject",
        List.of("getObject", "getObject"),
        () -> get(key, "bytes=3000000-3100000"));
    // A range in part 2's first segment: one read covers the part's start as well.
    assertCalls(
        gateway, "GetObject", List.of("getObject"), () -> get(key, "bytes=5300000-5310000"));
    assertCalls(
        gateway,
        "HeadObject",
        List.of("headObject"),
        () -> s3.headObject(b -> b.bucket(BUCKET).key(key)));
    // The other instance reads the index first.
    assertCalls(
        cold,
        "HeadObject",
        List.of("headObject", "getObject"),
        () -> s3cold.headObject(b -> b.bucket(BUCKET).key(key)));
    CopyObjectResponse copied =
        assertCalls(
            gateway,
            "CopyObject",
            List.of(
                "headObject",
                "getObjectTagging",
                "createMultipartUpload",
                "uploadPartCopy",
                "uploadPartCopy",
                "completeMultipartUpload",
                "putRecord"),
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket(BUCKET)
                            .sourceKey(key)
                            .destinationBucket(BUCKET)
                            .destinationKey("parts-copy")));
    // Conditional writes read the current object as steps too: If-None-Match: * its HEAD (none
    // here); If-Match on a multipart object, on an instance that never read it, its HEAD and its
    // part index (the ETag clients see is the index's), then the write carries the condition.
    assertCalls(
        gateway,
        "PutObject",
        List.of("headObject", "putObject"),
        () ->
            s3.putObject(
                b -> b.bucket(BUCKET).key("cond-new").ifNoneMatch("*"),
                RequestBody.fromBytes(bytes(100, 7))));
    assertCalls(
        cold,
        "PutObject",
        List.of("headObject", "getObject", "putObject"),
        () ->
            s3cold.putObject(
                b -> b.bucket(BUCKET).key("parts-copy").ifMatch(copied.copyObjectResult().eTag()),
                RequestBody.fromBytes(bytes(100, 8))));
  }

  @Test
  void aMultipartObjectWithoutItsIndexIsRefusedAfterOneLookForIt() throws Exception {
    String key = "no-index";
    String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    String e1 = uploadPart(s3, key, uploadId, 1, bytes(5 * MIB, 5));
    String e2 = uploadPart(s3, key, uploadId, 2, bytes(1000, 6));
    s3.completeMultipartUpload(
        b ->
            b.bucket(BUCKET)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(e1).build(),
                            CompletedPart.builder().partNumber(2).eTag(e2).build())));
    try (S3Client direct = gateway.backend().directClient()) {
      // Format v4 names the index per upload: every index of the key goes.
      String prefix = io.github.s3eg.backend.ReservedKeys.index(key);
      List<String> indexes =
          direct.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
              .map(software.amazon.awssdk.services.s3.model.S3Object::key)
              .toList();
      assertThat(indexes).isNotEmpty();
      indexes.forEach(name -> direct.deleteObject(b -> b.bucket(BUCKET).key(name)));
    }
    // The object's HEAD, then its (missing) index: refused as tampered, nothing else is asked.
    // (A client that does not retry the 500: one request, one count.)
    Throwable refused;
    try (S3Client once =
        cold.clientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      refused =
          assertCalls(
              cold,
              "HeadObject",
              List.of("headObject", "getObject"),
              () ->
                  org.assertj.core.api.Assertions.catchThrowable(
                      () -> once.headObject(b -> b.bucket(BUCKET).key(key))));
    }
    assertThat(refused)
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
        .satisfies(
            e ->
                assertThat(((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode())
                    .isGreaterThanOrEqualTo(400));
  }

  // ---- measuring

  /** Runs {@code operation} and checks that its backend requests were exactly {@code expected}. */
  private static <T> T assertCalls(
      GatewayFixture g, String operation, List<String> expected, ThrowingSupplier<T> request)
      throws Exception {
    Map<String, Double> before = backendRequests(g);
    g.probe().reset();
    T result = request.get();
    Map<String, Double> calls = awaitCalls(g, before, g.probe().requests().size());
    List<String> sorted = new ArrayList<>(expected);
    sorted.sort(null);
    Map<String, Integer> expectedCounts = new TreeMap<>();
    for (String call : sorted) {
      expectedCounts.merge(operation + " " + call, 1, Integer::sum);
    }
    Map<String, Integer> seen = new TreeMap<>();
    calls.forEach((k, v) -> seen.put(k, v.intValue()));
    assertThat(seen.values().stream().mapToInt(Integer::intValue).sum())
        .as(
            "requests the backend received for %s (%s): one per backend step (%s)",
            operation, g.probe().requests(), seen)
        .isEqualTo(g.probe().requests().size());
    // The bucket's features are asked once a minute per bucket and instance, by the steps of
    // s3-api ('bucketFeatures'): counted on the wire above like every step, compared here apart,
    // since whether this request was the first of the minute depends on the tests before it.
    Map<String, Integer> lookups = new TreeMap<>();
    for (String call : BUCKET_FEATURE_CALLS) {
      Integer n = seen.remove(operation + " " + call);
      if (n != null) {
        lookups.put(call, n);
      }
    }
    assertThat(lookups.values())
        .as("the bucket's features, asked at most once each for %s", operation)
        .allMatch(n -> n == 1);
    if (!lookups.isEmpty()) {
      assertThat(backendSteps(g, "s3-api")).containsAll(lookups.keySet());
    }
    assertThat(seen)
        .as("backend steps that ran for %s (on the wire: %s)", operation, g.probe().requests())
        .isEqualTo(expectedCounts);
    Set<String> steps = backendSteps(g, operation);
    for (String call : expected) {
      assertThat(steps).as("the route of %s has a step backend:%s", operation, call).contains(call);
    }
    return result;
  }

  /** The counter is told after the response went out: wait (generously) for it to catch up. */
  private static Map<String, Double> awaitCalls(
      GatewayFixture g, Map<String, Double> before, int onTheWire) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Double> delta;
    do {
      delta = new TreeMap<>();
      for (Map.Entry<String, Double> e : backendRequests(g).entrySet()) {
        double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        if (d > 0) {
          delta.put(e.getKey(), d);
        }
      }
      if (delta.values().stream().mapToDouble(Double::doubleValue).sum() >= onTheWire) {
        return delta;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return delta;
  }

  /** {@code "OPERATION call"} → count, from the gateway's {@code backend.requests} counter. */
  private static Map<String, Double> backendRequests(GatewayFixture g) {
    MeterRegistry registry = g.gateway().ops().metrics().registry();
    Map<String, Double> counts = new HashMap<>();
    for (Counter c : registry.find("backend.requests").counters()) {
      counts.merge(
          c.getId().getTag("operation") + " " + c.getId().getTag("call"), c.count(), Double::sum);
    }
    return counts;
  }

  /** The backend calls that the route of {@code operation} (and the routes it calls) names. */
  private static Set<String> backendSteps(GatewayFixture g, String operation) {
    CamelContext context = g.gateway().main().getCamelContext();
    Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
    Map<String, RouteDefinition> byId = new HashMap<>();
    Map<String, RouteDefinition> byDirect = new HashMap<>();
    for (RouteDefinition r : model.getRouteDefinitions()) {
      byId.put(r.getRouteId(), r);
      if (r.getEndpointUrl().startsWith("direct:")) {
        byDirect.put(r.getEndpointUrl().substring("direct:".length()), r);
      }
    }
    Set<String> calls = new LinkedHashSet<>();
    collect(byId.get(operation).getOutputs(), byDirect, calls, new LinkedHashSet<>());
    return calls;
  }

  private static void collect(
      List<ProcessorDefinition<?>> nodes,
      Map<String, RouteDefinition> byDirect,
      Set<String> calls,
      Set<String> visited) {
    for (ProcessorDefinition<?> node : nodes) {
      if (node instanceof ToDefinition to) {
        String uri = to.getUri();
        if (uri.startsWith("backend:")) {
          String call = uri.substring("backend:".length());
          calls.add(call.contains("?") ? call.substring(0, call.indexOf('?')) : call);
        } else if (uri.startsWith("direct:") && visited.add(uri)) {
          RouteDefinition target = byDirect.get(uri.substring("direct:".length()));
          if (target != null) {
            collect(target.getOutputs(), byDirect, calls, visited);
          }
        }
      }
      collect(node.getOutputs(), byDirect, calls, visited);
    }
  }

  // ---- requests

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  private static Object put(String key, byte[] body, String contentType) {
    return s3.putObject(
        b -> b.bucket(BUCKET).key(key).contentType(contentType), RequestBody.fromBytes(body));
  }

  private static Object get(String key, String range) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range(range)).asByteArray().length;
  }

  private static String uploadPart(
      S3Client client, String key, String uploadId, int n, byte[] part) {
    return client
        .uploadPart(
            b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(n),
            RequestBody.fromBytes(part))
        .eTag();
  }

  private static byte[] bytes(int size, int seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }
}
