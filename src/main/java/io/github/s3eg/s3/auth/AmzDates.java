package io.github.s3eg.s3.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Parses and formats the two date forms S3 authentication uses. */
final class AmzDates {

  /** SigV4's compact ISO 8601 form, e.g. {@code 20130524T000000Z}. */
  static final DateTimeFormatter ISO_BASIC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private AmzDates() {}

  static Optional<Instant> parseIsoBasic(String value) {
    if (value == null || !value.matches("\\d{8}T\\d{6}Z")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(ISO_BASIC.parse(value)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** An HTTP date ({@code Fri, 24 May 2013 00:00:00 GMT}); the ISO form is accepted too. */
  static Optional<Instant> parseHttpDate(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim())));
    } catch (DateTimeParseException e) {
      return parseIsoBasic(value.trim());
    }
  }

  static String formatIsoBasic(Instant instant) {
    return ISO_BASIC.format(instant);
  }
}
