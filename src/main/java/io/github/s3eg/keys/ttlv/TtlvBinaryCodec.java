package io.github.s3eg.keys.ttlv;

import io.github.s3eg.keys.ttlv.Ttlv.BigIntegerItem;
import io.github.s3eg.keys.ttlv.Ttlv.BooleanItem;
import io.github.s3eg.keys.ttlv.Ttlv.ByteStringItem;
import io.github.s3eg.keys.ttlv.Ttlv.DateTimeItem;
import io.github.s3eg.keys.ttlv.Ttlv.EnumerationItem;
import io.github.s3eg.keys.ttlv.Ttlv.IntegerItem;
import io.github.s3eg.keys.ttlv.Ttlv.IntervalItem;
import io.github.s3eg.keys.ttlv.Ttlv.LongIntegerItem;
import io.github.s3eg.keys.ttlv.Ttlv.Structure;
import io.github.s3eg.keys.ttlv.Ttlv.TextStringItem;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binary KMIP TTLV: every item is {@code tag(3) || type(1) || length(4) || value}, big-endian, the
 * value padded with zero bytes to a multiple of eight; a structure's value is its children's
 * encodings. The length field counts the value without padding.
 *
 * <p>The decoder is strict and bounded, because it reads what a network peer sent: every length is
 * checked against the bytes left in the enclosing item before anything is allocated, fixed-size
 * types must declare their exact size, padding must be zero, booleans must be 0 or 1, text must be
 * valid UTF-8, nesting is capped by {@link TtlvLimits#maxDepth()}, and the input must hold exactly
 * one item. Any violation throws {@link TtlvException}; nothing else escapes for any input.
 */
public final class TtlvBinaryCodec {

  /** Size of the tag, type and length fields that precede every value. */
  public static final int HEADER_BYTES = 8;

  private static final int ALIGNMENT = 8;

  private final TtlvLimits limits;

  public TtlvBinaryCodec() {
    this(TtlvLimits.DEFAULT);
  }

  public TtlvBinaryCodec(TtlvLimits limits) {
    this.limits = limits;
  }

  /** Encodes one item, refusing tags that exist only in JSON and messages above the limit. */
  public byte[] encode(Ttlv item) throws TtlvException {
    long size = encodedLength(item, 1);
    if (size > limits.maxMessageBytes()) {
      throw new TtlvException("encoded message of " + size + " bytes exceeds the limit");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    write(item, out);
    return out.array();
  }

  /**
   * The total size of a message whose first {@link #HEADER_BYTES} bytes are {@code header}: lets a
   * transport read exactly one message without trusting a hostile length.
   */
  public int messageLength(byte[] header) throws TtlvException {
    if (header.length < HEADER_BYTES) {
      throw new TtlvException("truncated message header");
    }
    int tag = readTag(header, 0);
    if (!Tag.isKmipCode(tag)) {
      throw new TtlvException("not a KMIP tag: " + Tag.hex(tag));
    }
    if ((header[3] & 0xFF) != TtlvType.STRUCTURE.code()) {
      throw new TtlvException("a KMIP message must be a structure");
    }
    long length = readUnsigned32(header, 4);
    if (length % ALIGNMENT != 0) {
      throw new TtlvException("structure length is not a multiple of 8");
    }
    long total = HEADER_BYTES + length;
    if (total > limits.maxMessageBytes()) {
      throw new TtlvException("message of " + total + " bytes exceeds the limit");
    }
    return (int) total;
  }

  /** Decodes exactly one item spanning all of {@code input}. */
  public Ttlv decode(byte[] input) throws TtlvException {
    if (input.length > limits.maxMessageBytes()) {
      throw new TtlvException("message of " + input.length + " bytes exceeds the limit");
    }
    Reader reader = new Reader(input);
    Ttlv item = reader.read(input.length, 1);
    if (reader.position != input.length) {
      throw new TtlvException((input.length - reader.position) + " trailing bytes after the item");
    }
    return item;
  }

  private long encodedLength(Ttlv item, int depth) throws TtlvException {
    if (depth > limits.maxDepth()) {
      throw new TtlvException("structure nesting exceeds " + limits.maxDepth());
    }
    if (!item.tag().hasBinaryCode()) {
      throw new TtlvException("tag " + item.tag() + " has no binary KMIP encoding");
    }
    long valueLength =
        switch (item) {
          case Structure s -> {
            long sum = 0;
            for (Ttlv child : s.children()) {
              sum += encodedLength(child, depth + 1);
            }
            yield sum;
          }
          case BigIntegerItem b -> bigIntegerBytes(b.value()).length;
          case TextStringItem t -> utf8(t.value()).length;
          case ByteStringItem b -> b.length();
          default -> item.type().fixedLength();
        };
    if (valueLength > 0xFFFF_FFFFL) {
      throw new TtlvException("value too long for a TTLV length field");
    }
    return HEADER_BYTES + padded(valueLength);
  }

  private void write(Ttlv item, ByteBuffer out) throws TtlvException {
    int tag = item.tag().code();
    out.put((byte) (tag >>> 16)).put((byte) (tag >>> 8)).put((byte) tag);
    out.put((byte) item.type().code());
    int lengthPosition = out.position();
    out.putInt(0);
    int valueStart = out.position();
    switch (item) {
      case Structure s -> {
        for (Ttlv child : s.children()) {
          write(child, out);
        }
      }
      case IntegerItem i -> out.putInt(i.value());
      case LongIntegerItem l -> out.putLong(l.value());
      case BigIntegerItem b -> out.put(bigIntegerBytes(b.value()));
      case EnumerationItem e -> out.putInt(e.value());
      case BooleanItem b -> out.putLong(b.value() ? 1 : 0);
      case TextStringItem t -> out.put(utf8(t.value()));
      case ByteStringItem b -> out.put(b.unsafeBytes());
      case DateTimeItem d -> out.putLong(d.epochSeconds());
      case IntervalItem i -> out.putInt((int) i.seconds());
    }
    int valueLength = out.position() - valueStart;
    out.putInt(lengthPosition, valueLength);
    int padding = (int) (padded(valueLength) - valueLength);
    out.put(new byte[padding]);
  }

  /** Two's complement, sign-extended to a multiple of eight bytes as KMIP requires. */
  private static byte[] bigIntegerBytes(BigInteger value) {
    byte[] minimal = value.toByteArray();
    int length = (int) padded(minimal.length);
    if (length == minimal.length) {
      return minimal;
    }
    byte[] extended = new byte[length];
    Arrays.fill(extended, 0, length - minimal.length, (byte) (value.signum() < 0 ? 0xFF : 0x00));
    System.arraycopy(minimal, 0, extended, length - minimal.length, minimal.length);
    return extended;
  }

  private static byte[] utf8(String text) throws TtlvException {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      return Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    } catch (CharacterCodingException e) {
      throw new TtlvException("text is not valid Unicode", e);
    }
  }

  private static long padded(long length) {
    return (length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static int readTag(byte[] in, int at) {
    return (in[at] & 0xFF) << 16 | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF);
  }

  private static long readUnsigned32(byte[] in, int at) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(in, at, 4).getInt());
  }

  /** A cursor over the input; {@code end} arguments bound reads to the enclosing item. */
  private final class Reader {
    private final byte[] in;
    private int position;

    Reader(byte[] in) {
      this.in = in;
    }

    Ttlv read(int end, int depth) throws TtlvException {
      if (depth > limits.maxDepth()) {
        throw new TtlvException("structure nesting exceeds " + limits.maxDepth());
      }
      if (end - position < HEADER_BYTES) {
        throw new TtlvException("truncated item header at offset " + position);
      }
      int tagCode = readTag(in, position);
      if (!Tag.isKmipCode(tagCode)) {
        throw new TtlvException("not a KMIP tag at offset " + position + ": " + Tag.hex(tagCode));
      }
      int typeCode = in[position + 3] & 0xFF;
      TtlvType type =
          TtlvType.fromCode(typeCode)
              .orElseThrow(
                  () -> new TtlvException("unknown item type " + typeCode + " at " + position));
      long length = readUnsigned32(in, position + 4);
      Tag tag = Tags.forCode(tagCode);
      if (type.fixedLength() >= 0 && length != type.fixedLength()) {
        throw new TtlvException(
            tag
                + ": "
                + type.jsonName()
                + " must have length "
                + type.fixedLength()
                + ", not "
                + length);
      }
      long paddedLength = padded(length);
      int valueStart = position + HEADER_BYTES;
      if (paddedLength > end - valueStart) {
        throw new TtlvException(tag + ": length " + length + " exceeds the enclosing item");
      }
      int valueLength = (int) length;
      int valueEnd = valueStart + valueLength;
      position = valueStart;
      Ttlv item = readValue(tag, type, valueLength, valueEnd, depth);
      for (int i = valueEnd; i < valueStart + paddedLength; i++) {
        if (in[i] != 0) {
          throw new TtlvException(tag + ": non-zero padding");
        }
      }
      position = (int) (valueStart + paddedLength);
      return item;
    }

    private Ttlv readValue(Tag tag, TtlvType type, int length, int valueEnd, int depth)
        throws TtlvException {
      ByteBuffer value = ByteBuffer.wrap(in, position, length);
      return switch (type) {
        case STRUCTURE -> {
          if (length % ALIGNMENT != 0) {
            throw new TtlvException(tag + ": structure length is not a multiple of 8");
          }
          List<Ttlv> children = new ArrayList<>();
          while (position < valueEnd) {
            children.add(read(valueEnd, depth + 1));
          }
          yield new Structure(tag, children);
        }
        case INTEGER -> new IntegerItem(tag, value.getInt());
        case LONG_INTEGER -> new LongIntegerItem(tag, value.getLong());
        case BIG_INTEGER -> {
          if (length == 0 || length % ALIGNMENT != 0) {
            throw new TtlvException(tag + ": big integer length must be a positive multiple of 8");
          }
          yield new BigIntegerItem(tag, new BigInteger(in, position, length));
        }
        case ENUMERATION -> new EnumerationItem(tag, value.getInt());
        case BOOLEAN -> {
          long raw = value.getLong();
          if (raw != 0 && raw != 1) {
            throw new TtlvException(tag + ": boolean must be 0 or 1");
          }
          yield new BooleanItem(tag, raw == 1);
        }
        case TEXT_STRING -> new TextStringItem(tag, decodeUtf8(tag, value));
        case BYTE_STRING -> {
          byte[] bytes = Arrays.copyOfRange(in, position, valueEnd);
          ByteStringItem item = new ByteStringItem(tag, bytes);
          Arrays.fill(bytes, (byte) 0);
          yield item;
        }
        case DATE_TIME -> new DateTimeItem(tag, value.getLong());
        case INTERVAL -> new IntervalItem(tag, Integer.toUnsignedLong(value.getInt()));
      };
    }

    private String decodeUtf8(Tag tag, ByteBuffer value) throws TtlvException {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(value)
            .toString();
      } catch (CharacterCodingException e) {
        throw new TtlvException(tag + ": text is not valid UTF-8", e);
      }
    }
  }
}
