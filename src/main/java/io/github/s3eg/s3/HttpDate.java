package io.github.s3eg.s3;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7). The gateway writes only the preferred form, IMF-fixdate, {@code
 * Mon, 07 Dec 2026 09:21:32 GMT}: always two-digit days. Java's {@code RFC_1123_DATE_TIME} writes
 * {@code Mon, 7 Dec 2026 …} on days 1 to 9, which RFC 1123 allows but HTTP does not, and which
 * strict clients (rclone, Go's {@code http.ParseTime}) refuse. Reading is lenient, as RFC 9110 asks
 * of recipients: IMF-fixdate, one-digit days, the obsolete RFC 850 and asctime forms.
 */
public final class HttpDate {

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** {@code Sunday, 06-Nov-94 08:49:37 GMT}, two-digit years read as in RFC 9110 (19xx/20xx). */
  private static final DateTimeFormatter RFC_850 =
      new java.time.format.DateTimeFormatterBuilder()
          .appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);

  /** {@code Sun Nov 6 08:49:37 1994} (the day padded with a space). */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

  private static final List<DateTimeFormatter> OBSOLETE = List.of(RFC_850, ASCTIME);

  private HttpDate() {}

  /** {@code instant} as IMF-fixdate, or null for null. */
  public static String format(Instant instant) {
    return instant == null ? null : IMF_FIXDATE.format(instant);
  }

  /** An HTTP date in any of the forms RFC 9110 asks recipients to read, or null. */
  public static Instant parse(String value) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException notRfc1123) {
      for (DateTimeFormatter form : OBSOLETE) {
        try {
          return LocalDateTime.parse(text, form).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException next) {
          // try the next form
        }
      }
      return null;
    }
  }

  /**
   * A stored date header as IMF-fixdate (backends may keep {@code Expires} in another form); a
   * value that is not a date is returned unchanged, as S3 returns what it was given.
   */
  public static String normalize(String value) {
    Instant instant = parse(value);
    return instant == null ? value : format(instant);
  }
}
