package io.github.s3eg.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDateTest {

  private static final Instant SEVENTH = Instant.parse("2026-12-07T09:21:32Z");

  @Test
  void writesTwoDigitDays() {
    assertThat(HttpDate.format(SEVENTH)).isEqualTo("Mon, 07 Dec 2026 09:21:32 GMT");
    assertThat(HttpDate.format(Instant.parse("2027-01-01T00:00:00Z")))
        .isEqualTo("Fri, 01 Jan 2027 00:00:00 GMT");
    assertThat(HttpDate.format(null)).isNull();
  }

  @Test
  void readsEveryFormRfc9110AsksRecipientsToRead() {
    assertThat(HttpDate.parse("Mon, 07 Dec 2026 09:21:32 GMT")).isEqualTo(SEVENTH);
    assertThat(HttpDate.parse("Mon, 7 Dec 2026 09:21:32 GMT")).isEqualTo(SEVENTH);
    assertThat(HttpDate.parse("Monday, 07-Dec-26 09:21:32 GMT")).isEqualTo(SEVENTH);
    assertThat(HttpDate.parse("Mon Dec  7 09:21:32 2026")).isEqualTo(SEVENTH);
    assertThat(HttpDate.parse("yesterday")).isNull();
    assertThat(HttpDate.parse(null)).isNull();
  }

  @Test
  void normalizesStoredDatesAndLeavesOtherValuesAlone() {
    assertThat(HttpDate.normalize("Mon, 7 Dec 2026 09:21:32 GMT"))
        .isEqualTo("Mon, 07 Dec 2026 09:21:32 GMT");
    assertThat(HttpDate.normalize("not a date")).isEqualTo("not a date");
    assertThat(HttpDate.normalize(null)).isNull();
  }
}
