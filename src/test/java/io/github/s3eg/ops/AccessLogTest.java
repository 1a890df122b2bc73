package io.github.s3eg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.s3eg.it.GatewayFixture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The access line: text or JSON (LOG_FORMAT), never the query string of a presigned URL. */
class AccessLogTest {

  private final Logger access = (Logger) LoggerFactory.getLogger("s3eg.access");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = access.getLevel();
    access.setLevel(Level.INFO);
    lines.start();
    access.addAppender(lines);
  }

  @AfterEach
  void release() {
    access.detachAppender(lines);
    access.setLevel(previous);
  }

  private List<String> presignedTraffic(String format) throws Exception {
    try (GatewayFixture fixture = GatewayFixture.start(Map.of("LOG_FORMAT", format));
        S3Client s3 = fixture.defaultClient();
        S3Presigner presigner =
            S3Presigner.builder()
                .endpointOverride(fixture.endpoint())
                .region(Region.US_EAST_1)
                .serviceConfiguration(
                    software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true)
                        .build())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET)))
                .build()) {
      s3.createBucket(b -> b.bucket("logged"));
      s3.putObject(b -> b.bucket("logged").key("a b.txt"), RequestBody.fromString("x"));
      URI url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("logged").key("a b.txt")))
              .url()
              .toURI();
      assertThat(url.getRawQuery()).contains("X-Amz-Signature");
      assertThat(SignedHttp.get(url).statusCode()).isEqualTo(200);
    }
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void jsonLinesWithoutQueryStrings() throws Exception {
    List<String> logged = presignedTraffic("json");
    String get =
        logged.stream().filter(l -> l.contains("\"method\":\"GET\"")).findFirst().orElseThrow();
    assertThat(get)
        .startsWith("{\"time\":\"")
        .endsWith("}")
        .contains(
            "\"resource\":\"/logged/a b.txt\"",
            "\"status\":200",
            "\"principal\":\"client-access\"");
    assertThat(String.join("\n", logged))
        .doesNotContain("X-Amz-Signature")
        .doesNotContain("X-Amz-Credential")
        .doesNotContain(GatewayFixture.CLIENT_SECRET);
  }

  @Test
  void textLinesWithoutQueryStrings() throws Exception {
    List<String> logged = presignedTraffic("text");
    assertThat(logged).anyMatch(l -> l.startsWith("GET /logged/a b.txt 127.0.0.1 200 1B"));
    assertThat(String.join("\n", logged)).doesNotContain("X-Amz-Signature").doesNotContain("?");
  }
}
