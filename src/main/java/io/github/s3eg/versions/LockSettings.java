package io.github.s3eg.versions;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3Request;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * The Object Lock settings a write asks for with {@code x-amz-object-lock-mode}, {@code
 * x-amz-object-lock-retain-until-date} and {@code x-amz-object-lock-legal-hold} (PutObject,
 * CopyObject, CreateMultipartUpload): a retention (mode and date, given together) and a legal hold.
 * The backend enforces them; the gateway checks their form, passes them on, and gives the gateway's
 * own records of the new version the same protection.
 *
 * @param mode GOVERNANCE or COMPLIANCE, or null without retention
 * @param retainUntil the end of the retention, or null without retention
 * @param legalHold ON or OFF, or null when the request says nothing
 */
public record LockSettings(
    ObjectLockMode mode, Instant retainUntil, ObjectLockLegalHoldStatus legalHold) {

  public static final String MODE = "x-amz-object-lock-mode";
  public static final String RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
  public static final String LEGAL_HOLD = "x-amz-object-lock-legal-hold";

  /** Nothing asked for. */
  public static final LockSettings NONE = new LockSettings(null, null, null);

  /** Names of the entries {@link #toRecord()} writes. */
  static final String RECORD_MODE = "lock-mode";

  static final String RECORD_UNTIL = "lock-retain-until";
  static final String RECORD_HOLD = "lock-legal-hold";

  /**
   * The settings of a write request.
   *
   * @throws S3Exception InvalidArgument for a mode without date (or the other way round), an
   *     unknown mode or legal hold status, or a date that is not ISO 8601
   */
  public static LockSettings fromRequest(S3Request request) {
    return of(request.header(MODE), request.header(RETAIN_UNTIL), request.header(LEGAL_HOLD));
  }

  static LockSettings of(String modeText, String untilText, String holdText) {
    if ((modeText == null) != (untilText == null)) {
      throw invalid(
          "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
          modeText == null ? MODE : RETAIN_UNTIL);
    }
    ObjectLockMode mode = null;
    Instant until = null;
    if (modeText != null) {
      mode = ObjectLockMode.fromValue(modeText.trim().toUpperCase(Locale.ROOT));
      if (mode == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
        throw invalid("Unknown wormMode directive.", MODE);
      }
      until = parseDate(untilText.trim());
    }
    ObjectLockLegalHoldStatus hold = null;
    if (holdText != null) {
      hold = ObjectLockLegalHoldStatus.fromValue(holdText.trim().toUpperCase(Locale.ROOT));
      if (hold == ObjectLockLegalHoldStatus.UNKNOWN_TO_SDK_VERSION) {
        throw invalid("Legal Hold must be either of 'ON' or 'OFF'", LEGAL_HOLD);
      }
    }
    return new LockSettings(mode, until, hold);
  }

  /**
   * An ISO 8601 date and time as S3 takes it ({@code 2030-01-01T00:00:00Z}, with or without ms).
   */
  public static Instant parseDate(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        throw invalid("The retain until date must be provided in ISO 8601 format", RETAIN_UNTIL);
      }
    }
  }

  public boolean hasRetention() {
    return mode != null;
  }

  public boolean hasLegalHold() {
    return legalHold != null;
  }

  /** Whether the request asks for anything. */
  public boolean isEmpty() {
    return mode == null && legalHold == null;
  }

  /** Whether the new version will be protected (a retention, or a legal hold ON). */
  public boolean protects() {
    return mode != null || legalHold == ObjectLockLegalHoldStatus.ON;
  }

  /** The settings as entries of an upload record (they are enforced again at Complete). */
  public Map<String, String> toRecord() {
    Map<String, String> m = new LinkedHashMap<>();
    if (mode != null) {
      m.put(RECORD_MODE, mode.toString());
      m.put(RECORD_UNTIL, retainUntil.toString());
    }
    if (legalHold != null) {
      m.put(RECORD_HOLD, legalHold.toString());
    }
    return m;
  }

  /** The settings an upload record kept ({@link #toRecord()}); NONE for an older record. */
  public static LockSettings fromRecord(Map<String, String> record) {
    return of(record.get(RECORD_MODE), record.get(RECORD_UNTIL), record.get(RECORD_HOLD));
  }

  /** Applies the settings to an SDK request builder's three lock fields. */
  public void applyTo(
      java.util.function.Consumer<ObjectLockMode> mode,
      java.util.function.Consumer<Instant> retainUntil,
      java.util.function.Consumer<ObjectLockLegalHoldStatus> legalHold) {
    if (this.mode != null) {
      mode.accept(this.mode);
      retainUntil.accept(this.retainUntil);
    }
    if (this.legalHold != null) {
      legalHold.accept(this.legalHold);
    }
  }

  private static S3Exception invalid(String message, String header) {
    return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", header);
  }
}
