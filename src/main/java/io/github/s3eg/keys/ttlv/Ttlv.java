package io.github.s3eg.keys.ttlv;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One TTLV item: a tag, a type and a value; a structure holds child items. This tree is the model
 * both codecs share: {@link TtlvBinaryCodec} (KMIP over TLS) and {@link TtlvJsonCodec} (Cosmian's
 * JSON TTLV over HTTP), so request builders and response readers are written once.
 *
 * <p>Items are immutable. {@link ByteStringItem} copies its bytes in and out, because it carries
 * key material (a DEK on its way to be wrapped or back from being unwrapped); {@link
 * ByteStringItem#destroy()} zeroes the held copy once the caller has taken what it needs.
 */
public sealed interface Ttlv {

  Tag tag();

  TtlvType type();

  static Structure structure(Tag tag, Ttlv... children) {
    return new Structure(tag, List.of(children));
  }

  static Structure structure(Tag tag, List<? extends Ttlv> children) {
    return new Structure(tag, List.copyOf(children));
  }

  static IntegerItem integer(Tag tag, int value) {
    return new IntegerItem(tag, value);
  }

  static LongIntegerItem longInteger(Tag tag, long value) {
    return new LongIntegerItem(tag, value);
  }

  static BigIntegerItem bigInteger(Tag tag, BigInteger value) {
    return new BigIntegerItem(tag, value);
  }

  static EnumerationItem enumeration(Tag tag, KmipEnumeration value) {
    return new EnumerationItem(tag, value.value());
  }

  static EnumerationItem enumeration(Tag tag, int value) {
    return new EnumerationItem(tag, value);
  }

  static BooleanItem bool(Tag tag, boolean value) {
    return new BooleanItem(tag, value);
  }

  static TextStringItem text(Tag tag, String value) {
    return new TextStringItem(tag, value);
  }

  static ByteStringItem bytes(Tag tag, byte[] value) {
    return new ByteStringItem(tag, value);
  }

  static DateTimeItem dateTime(Tag tag, long epochSeconds) {
    return new DateTimeItem(tag, epochSeconds);
  }

  static IntervalItem interval(Tag tag, long seconds) {
    return new IntervalItem(tag, seconds);
  }

  /**
   * Zeroes every byte string in {@code item}'s tree: called on requests once encoded and on
   * responses once read, since their byte strings may hold key material.
   */
  static void destroyByteStrings(Ttlv item) {
    if (item instanceof ByteStringItem bytes) {
      bytes.destroy();
    } else if (item instanceof Structure structure) {
      for (Ttlv child : structure.children()) {
        destroyByteStrings(child);
      }
    }
  }

  /** A structure: an ordered list of child items (KMIP fields are order-sensitive). */
  record Structure(Tag tag, List<Ttlv> children) implements Ttlv {
    public Structure {
      Objects.requireNonNull(tag, "tag");
      children = List.copyOf(children);
    }

    @Override
    public TtlvType type() {
      return TtlvType.STRUCTURE;
    }

    /** All direct children tagged {@code childTag}, in order. */
    public List<Ttlv> all(Tag childTag) {
      List<Ttlv> found = new ArrayList<>();
      for (Ttlv child : children) {
        if (child.tag().equals(childTag)) {
          found.add(child);
        }
      }
      return found;
    }

    /** All direct children tagged {@code childTag}; each must be of {@code type}. */
    public <T extends Ttlv> List<T> all(Tag childTag, Class<T> type) throws TtlvException {
      List<T> found = new ArrayList<>();
      for (Ttlv child : all(childTag)) {
        found.add(cast(child, type));
      }
      return found;
    }

    /** The first direct child tagged {@code childTag}, which must be of {@code type} if present. */
    public <T extends Ttlv> Optional<T> optional(Tag childTag, Class<T> type) throws TtlvException {
      for (Ttlv child : children) {
        if (child.tag().equals(childTag)) {
          return Optional.of(cast(child, type));
        }
      }
      return Optional.empty();
    }

    /** The first direct child tagged {@code childTag}; fails if absent or of another type. */
    public <T extends Ttlv> T require(Tag childTag, Class<T> type) throws TtlvException {
      return optional(childTag, type)
          .orElseThrow(() -> new TtlvException("missing " + childTag + " in " + tag));
    }

    private <T extends Ttlv> T cast(Ttlv child, Class<T> type) throws TtlvException {
      if (!type.isInstance(child)) {
        throw new TtlvException(
            child.tag()
                + " in "
                + tag
                + " has type "
                + child.type().jsonName()
                + ", expected "
                + type.getSimpleName());
      }
      return type.cast(child);
    }
  }

  /** A signed 32-bit integer. */
  record IntegerItem(Tag tag, int value) implements Ttlv {
    public IntegerItem {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public TtlvType type() {
      return TtlvType.INTEGER;
    }
  }

  /** A signed 64-bit integer. */
  record LongIntegerItem(Tag tag, long value) implements Ttlv {
    public LongIntegerItem {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public TtlvType type() {
      return TtlvType.LONG_INTEGER;
    }
  }

  /** An arbitrary-precision signed integer (two's complement on the wire). */
  record BigIntegerItem(Tag tag, BigInteger value) implements Ttlv {
    public BigIntegerItem {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public TtlvType type() {
      return TtlvType.BIG_INTEGER;
    }
  }

  /** An enumeration value: an unsigned 32-bit number held in an {@code int}. */
  record EnumerationItem(Tag tag, int value) implements Ttlv {
    public EnumerationItem {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public TtlvType type() {
      return TtlvType.ENUMERATION;
    }

    public boolean is(KmipEnumeration constant) {
      return value == constant.value();
    }
  }

  /** A boolean. */
  record BooleanItem(Tag tag, boolean value) implements Ttlv {
    public BooleanItem {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public TtlvType type() {
      return TtlvType.BOOLEAN;
    }
  }

  /** A UTF-8 text string. */
  record TextStringItem(Tag tag, String value) implements Ttlv {
    public TextStringItem {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public TtlvType type() {
      return TtlvType.TEXT_STRING;
    }
  }

  /**
   * An opaque byte string. The bytes are copied in and out and never printed; {@link #destroy()}
   * zeroes the held copy.
   */
  record ByteStringItem(Tag tag, byte[] value) implements Ttlv {
    public ByteStringItem {
      Objects.requireNonNull(tag, "tag");
      value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public TtlvType type() {
      return TtlvType.BYTE_STRING;
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    public int length() {
      return value.length;
    }

    /** Zeroes the held bytes; used once key material has been taken out of a response. */
    public void destroy() {
      Arrays.fill(value, (byte) 0);
    }

    /** Package-private zero-copy access for the codecs, which only read. */
    byte[] unsafeBytes() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteStringItem other
          && tag.equals(other.tag)
          && java.security.MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
      return 31 * tag.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "ByteStringItem[" + tag + ", " + value.length + " bytes]";
    }
  }

  /** A point in time, in whole seconds since the Unix epoch. */
  record DateTimeItem(Tag tag, long epochSeconds) implements Ttlv {
    public DateTimeItem {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public TtlvType type() {
      return TtlvType.DATE_TIME;
    }
  }

  /** A duration in seconds: an unsigned 32-bit number. */
  record IntervalItem(Tag tag, long seconds) implements Ttlv {
    public IntervalItem {
      Objects.requireNonNull(tag, "tag");
      if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("interval out of unsigned 32-bit range");
      }
    }

    @Override
    public TtlvType type() {
      return TtlvType.INTERVAL;
    }
  }
}
