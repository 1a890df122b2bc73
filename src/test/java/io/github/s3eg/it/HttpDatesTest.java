package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every date the gateway writes in a header is an IMF-fixdate (RFC 9110 §5.6.7), with a two-digit
 * day: on the 1st to the 9th of a month Java's RFC 1123 formatter writes {@code Mon, 7 Dec 2026},
 * which strict HTTP clients refuse (rclone logs "Couldn't parse Date" on every response). The
 * gateway runs on a clock fixed on the 7th, so the test means the same on every day it runs.
 */
class HttpDatesTest {

  private static final Instant SEVENTH = Instant.parse("2026-12-07T09:21:32Z");
  private static final String SEVENTH_TEXT = "Mon, 07 Dec 2026 09:21:32 GMT";

  private static final Pattern IMF_FIXDATE =
      Pattern.compile(
          "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
              + " \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");

  private static final List<String> DATE_HEADERS = List.of("date", "last-modified", "expires");

  @TempDir Path work;

  @Test
  void everyDateHeaderIsAnImfFixdateOnTheSeventh() throws Exception {
    Clock seventh = Clock.fixed(SEVENTH, ZoneOffset.UTC);
    try (GatewayFixture gateway = GatewayFixture.start(Map.of(), seventh)) {
      SigV4Http http =
          new SigV4Http(
              gateway.endpoint(), GatewayFixture.CLIENT_KEY, GatewayFixture.CLIENT_SECRET, seventh);
      assertDated(http.send("PUT", "/dates", Map.of(), new byte[0]), 200);
      assertDated(
          http.send(
              "PUT",
              "/dates/object",
              Map.of("Expires", SEVENTH_TEXT, "Content-Type", "text/plain"),
              "seventh".getBytes(StandardCharsets.UTF_8)),
          200);

      SigV4Http.Response get = http.get("/dates/object");
      assertDated(get, 200);
      assertThat(get.header("Expires")).isEqualTo(SEVENTH_TEXT);
      assertThat(get.header("Last-Modified")).matches(IMF_FIXDATE);
      SigV4Http.Response head = http.send("HEAD", "/dates/object", Map.of(), new byte[0]);
      assertDated(head, 200);
      assertThat(head.header("Expires")).isEqualTo(SEVENTH_TEXT);

      assertDated(http.get("/dates/missing"), 404);
      SigV4Http.Response notModified =
          http.send(
              "GET", "/dates/object", Map.of("If-None-Match", get.header("ETag")), new byte[0]);
      assertDated(notModified, 304);
      // Refused before authentication: the error path writes its own Date.
      SigV4Http.Response unsigned =
          new SigV4Http(gateway.endpoint(), "unknown-key", "unknown-secret-0123456789", seventh)
              .get("/dates/object");
      assertDated(unsigned, 403);
    }
  }

  /**
   * rclone parses the Date of every response with Go's strict {@code http.ParseTime} and logs
   * "Couldn't parse Date" when it fails. Signature checks are off here, so the gateway can run on a
   * 7th while rclone signs with the real time; when that 7th is not today rclone also notes that
   * the server's clock differs, which is expected and not about the date's form.
   */
  @Test
  void rclonePrintsNoDateWarning() throws Exception {
    CliTool.requireInstalled("/usr/bin/rclone", "rclone");
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    ZonedDateTime seventh =
        now.getDayOfMonth() >= 7 ? now.withDayOfMonth(7) : now.minusMonths(1).withDayOfMonth(7);
    Duration offset = Duration.between(now, seventh);
    Clock onTheSeventh = Clock.offset(Clock.systemUTC(), offset);
    try (GatewayFixture gateway =
        GatewayFixture.start(Map.of("AUTH_ENABLED", "false"), onTheSeventh)) {
      Map<String, String> env =
          Map.of(
              "RCLONE_CONFIG_GW_TYPE", "s3",
              "RCLONE_CONFIG_GW_PROVIDER", "Other",
              "RCLONE_CONFIG_GW_ACCESS_KEY_ID", GatewayFixture.CLIENT_KEY,
              "RCLONE_CONFIG_GW_SECRET_ACCESS_KEY", GatewayFixture.CLIENT_SECRET,
              "RCLONE_CONFIG_GW_ENDPOINT", gateway.endpoint().toString(),
              "RCLONE_CONFIG_GW_FORCE_PATH_STYLE", "true",
              "RCLONE_CONFIG_GW_REGION", "us-east-1");
      Path file = work.resolve("f.txt");
      Files.writeString(file, "dated");
      StringBuilder output = new StringBuilder();
      output.append(
          CliTool.run(env, work, "/usr/bin/rclone", "-vv", "mkdir", "gw:rclone-dates")
              .assertOk("mkdir")
              .output());
      output.append(
          CliTool.run(
                  env, work, "/usr/bin/rclone", "-vv", "copy", file.toString(), "gw:rclone-dates")
              .assertOk("copy")
              .output());
      output.append(
          CliTool.run(env, work, "/usr/bin/rclone", "-vv", "lsl", "gw:rclone-dates")
              .assertOk("lsl")
              .output());
      CliTool.Result cat =
          CliTool.run(env, work, "/usr/bin/rclone", "-vv", "cat", "gw:rclone-dates/f.txt")
              .assertOk("cat");
      output.append(cat.output());
      assertThat(cat.output()).contains("dated");
      assertThat(output.toString()).doesNotContain("Couldn't parse Date");
      if (offset.isZero() || offset.abs().compareTo(Duration.ofMinutes(1)) < 0) {
        assertThat(output.toString()).doesNotContain("Time may be set wrong");
      }
    }
  }

  private static void assertDated(SigV4Http.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Date")).isEqualTo(SEVENTH_TEXT);
    for (String name : DATE_HEADERS) {
      String value = response.header(name);
      if (value != null) {
        assertThat(value).as(name).matches(IMF_FIXDATE);
      }
    }
  }
}
