package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A finished request leaves nothing behind: after a few hundred reads and writes through the real
 * routes, the JVM's own live-object histogram (taken after a full GC, as {@code jcmd
 * GC.class_histogram} does) holds no request's state or decrypting stream. Camel's bean cache once
 * kept the last 1,000 requests alive, each with its segment buffers, and a gateway under sustained
 * small-object load ran out of heap; a heap bounded "at any load" needs this.
 */
class RequestsAreNotRetainedTest {

  private static final int REQUESTS = 300;

  @Test
  void requestsLeaveNoStateBehind() throws Exception {
    try (GatewayFixture gateway = GatewayFixture.start(Map.of());
        S3Client client = gateway.defaultClient()) {
      client.createBucket(b -> b.bucket("retained"));
      byte[] body = new byte[64 * 1024];
      new Random(7).nextBytes(body);
      client.putObject(b -> b.bucket("retained").key("k"), RequestBody.fromBytes(body));
      for (int i = 0; i < REQUESTS; i++) {
        switch (i % 3) {
          case 0 ->
              assertThat(client.getObjectAsBytes(b -> b.bucket("retained").key("k")).asByteArray())
                  .isEqualTo(body);
          case 1 -> client.headObject(b -> b.bucket("retained").key("k"));
          default -> {
            String key = "w" + (i % 10);
            client.putObject(b -> b.bucket("retained").key(key), RequestBody.fromBytes(body));
          }
        }
      }

      Map<String, Long> live = liveInstances();
      assertThat(live)
          .as("the histogram lists the gateway's classes (the probe itself works)")
          .containsKey("io.github.s3eg.Gateway");
      // The requests have all been answered; a few states may still be held by the stack of a
      // worker that has not yet returned, never one per request.
      assertThat(live.getOrDefault("io.github.s3eg.pipeline.RequestState", 0L))
          .as("live RequestState instances after %d requests", REQUESTS)
          .isLessThan(10);
      assertThat(live.getOrDefault("io.github.s3eg.crypto.DecryptingStream", 0L))
          .as("live DecryptingStream instances after %d GETs", REQUESTS / 3)
          .isLessThan(10);
    }
  }

  /** Live instances per class, from the JVM's GC.class_histogram diagnostic command. */
  private static Map<String, Long> liveInstances() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, Long> counts = new HashMap<>();
    Matcher line = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)").matcher(histogram);
    while (line.find()) {
      counts.merge(line.group(2), Long.parseLong(line.group(1)), Long::sum);
    }
    return counts;
  }
}
