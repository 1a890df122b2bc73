package io.github.s3eg.keys.ttlv;

import java.util.Optional;

/**
 * The item types of KMIP TTLV (KMIP 1.x/2.0 section "Message Encoding"), with their one-byte wire
 * code and the type name used by the JSON encoding. {@code fixedLength} is the value length a
 * binary item of this type must declare ({@code -1} for variable-length types), so that decoders
 * can reject a lying length before reading anything.
 */
public enum TtlvType {
  STRUCTURE(0x01, "Structure", -1),
  INTEGER(0x02, "Integer", 4),
  LONG_INTEGER(0x03, "LongInteger", 8),
  BIG_INTEGER(0x04, "BigInteger", -1),
  ENUMERATION(0x05, "Enumeration", 4),
  BOOLEAN(0x06, "Boolean", 8),
  TEXT_STRING(0x07, "TextString", -1),
  BYTE_STRING(0x08, "ByteString", -1),
  DATE_TIME(0x09, "DateTime", 8),
  INTERVAL(0x0A, "Interval", 4);

  private final int code;
  private final String jsonName;
  private final int fixedLength;

  TtlvType(int code, String jsonName, int fixedLength) {
    this.code = code;
    this.jsonName = jsonName;
    this.fixedLength = fixedLength;
  }

  public int code() {
    return code;
  }

  public String jsonName() {
    return jsonName;
  }

  /** Value length in bytes for fixed-size types, {@code -1} for variable-length ones. */
  public int fixedLength() {
    return fixedLength;
  }

  public static Optional<TtlvType> fromCode(int code) {
    for (TtlvType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  public static Optional<TtlvType> fromJsonName(String name) {
    for (TtlvType type : values()) {
      if (type.jsonName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
