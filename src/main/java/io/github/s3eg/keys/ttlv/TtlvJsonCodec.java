package io.github.s3eg.keys.ttlv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Cosmian's JSON TTLV (the KMIP JSON profile): every item is {@code {"tag": name, "type": type,
 * "value": value}}; a structure's value is an array of items. Value spellings, as Cosmian writes
 * and reads them: Integer and Interval as JSON numbers; LongInteger as {@code "0x"} + 16 hex
 * digits; BigInteger as {@code "0x"} + hex (two's complement); Enumeration by name, else {@code
 * "0x"} + 8 hex digits; Boolean as {@code true}/{@code false}; TextString as a string; ByteString
 * as upper-case hex; DateTime as ISO-8601.
 *
 * <p>The decoder accepts what Cosmian may send: hex forms for integers, a missing {@code "type"}
 * when the value is an array (some Cosmian versions omit it for structures), tags given as {@code
 * 0x42XXXX}. It is otherwise strict and bounded: input size and nesting are capped, duplicate keys,
 * unknown keys, unknown tag or enumeration names, fractional numbers, out-of-range values and
 * trailing content are rejected with {@link TtlvException}.
 */
public final class TtlvJsonCodec {

  private static final Set<String> KEYS = Set.of("tag", "type", "value");
  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  private final TtlvLimits limits;
  private final ObjectMapper mapper;
  private final JsonFactory writerFactory = new JsonFactory();

  public TtlvJsonCodec() {
    this(TtlvLimits.DEFAULT);
  }

  public TtlvJsonCodec(TtlvLimits limits) {
    this.limits = limits;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    // Each TTLV level is an object inside an array: two JSON levels.
                    .maxNestingDepth(2 * limits.maxDepth() + 1)
                    .maxStringLength(limits.maxMessageBytes())
                    .maxNumberLength(40)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Writes {@code item} as compact JSON (UTF-8). */
  public byte[] encode(Ttlv item) throws TtlvException {
    return encode(item, false);
  }

  /** Writes {@code item} as JSON, indented if {@code pretty}. */
  public byte[] encode(Ttlv item, boolean pretty) throws TtlvException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator generator = writerFactory.createGenerator(out)) {
      if (pretty) {
        generator.useDefaultPrettyPrinter();
      }
      write(item, generator, 1);
    } catch (IOException e) {
      throw new TtlvException("cannot write JSON", e);
    }
    return out.toByteArray();
  }

  /** Reads exactly one item from UTF-8 JSON. */
  public Ttlv decode(byte[] json) throws TtlvException {
    if (json.length > limits.maxMessageBytes()) {
      throw new TtlvException("JSON message of " + json.length + " bytes exceeds the limit");
    }
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new TtlvException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new TtlvException("unreadable JSON", e);
    }
    if (root == null || root.isMissingNode()) {
      throw new TtlvException("empty JSON document");
    }
    return read(root, 1);
  }

  private void write(Ttlv item, JsonGenerator out, int depth) throws IOException, TtlvException {
    if (depth > limits.maxDepth()) {
      throw new TtlvException("structure nesting exceeds " + limits.maxDepth());
    }
    out.writeStartObject();
    out.writeStringField("tag", item.tag().name());
    out.writeStringField("type", item.type().jsonName());
    out.writeFieldName("value");
    switch (item) {
      case Structure s -> {
        out.writeStartArray();
        for (Ttlv child : s.children()) {
          write(child, out, depth + 1);
        }
        out.writeEndArray();
      }
      case IntegerItem i -> out.writeNumber(i.value());
      case LongIntegerItem l -> out.writeString(String.format(Locale.ROOT, "0x%016X", l.value()));
      case BigIntegerItem b -> out.writeString("0x" + UPPER_HEX.formatHex(bigIntegerBytes(b)));
      case EnumerationItem e ->
          out.writeString(
              KmipEnums.nameOf(e.tag(), e.value())
                  .orElseGet(() -> String.format(Locale.ROOT, "0x%08X", e.value())));
      case BooleanItem b -> out.writeBoolean(b.value());
      case TextStringItem t -> out.writeString(t.value());
      case ByteStringItem b -> out.writeString(UPPER_HEX.formatHex(b.unsafeBytes()));
      case DateTimeItem d ->
          out.writeString(
              DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(d.epochSeconds())));
      case IntervalItem i -> out.writeNumber(i.seconds());
    }
    out.writeEndObject();
  }

  private static byte[] bigIntegerBytes(BigIntegerItem item) {
    byte[] minimal = item.value().toByteArray();
    int length = (minimal.length + 7) / 8 * 8;
    byte[] extended = new byte[length];
    Arrays.fill(
        extended, 0, length - minimal.length, (byte) (item.value().signum() < 0 ? 0xFF : 0));
    System.arraycopy(minimal, 0, extended, length - minimal.length, minimal.length);
    return extended;
  }

  private Ttlv read(JsonNode node, int depth) throws TtlvException {
    if (depth > limits.maxDepth()) {
      throw new TtlvException("structure nesting exceeds " + limits.maxDepth());
    }
    if (!node.isObject()) {
      throw new TtlvException("a TTLV item must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new TtlvException("unexpected key '" + printable(key) + "' in a TTLV item");
      }
    }
    JsonNode tagNode = node.get("tag");
    JsonNode valueNode = node.get("value");
    JsonNode typeNode = node.get("type");
    if (tagNode == null || !tagNode.isTextual()) {
      throw new TtlvException("a TTLV item needs a string 'tag'");
    }
    if (valueNode == null) {
      throw new TtlvException("a TTLV item needs a 'value'");
    }
    Tag tag = tag(tagNode.textValue());
    TtlvType type;
    if (typeNode == null) {
      if (!valueNode.isArray()) {
        throw new TtlvException(tag + ": 'type' may only be omitted for structures");
      }
      type = TtlvType.STRUCTURE;
    } else if (!typeNode.isTextual()) {
      throw new TtlvException(tag + ": 'type' must be a string");
    } else {
      String typeName = typeNode.textValue();
      type =
          TtlvType.fromJsonName(typeName)
              .orElseThrow(
                  () -> new TtlvException(tag + ": unknown type '" + printable(typeName) + "'"));
    }
    return switch (type) {
      case STRUCTURE -> {
        if (!valueNode.isArray()) {
          throw new TtlvException(tag + ": a structure's value must be an array");
        }
        List<Ttlv> children = new ArrayList<>(valueNode.size());
        for (JsonNode child : valueNode) {
          children.add(read(child, depth + 1));
        }
        yield new Structure(tag, children);
      }
      case INTEGER ->
          new IntegerItem(
              tag, (int) integral(tag, valueNode, 8, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case LONG_INTEGER ->
          new LongIntegerItem(tag, integral(tag, valueNode, 16, Long.MIN_VALUE, Long.MAX_VALUE));
      case BIG_INTEGER -> new BigIntegerItem(tag, new BigInteger(hexPrefixed(tag, valueNode)));
      case ENUMERATION -> new EnumerationItem(tag, enumeration(tag, valueNode));
      case BOOLEAN -> {
        if (!valueNode.isBoolean()) {
          throw new TtlvException(tag + ": a Boolean must be true or false");
        }
        yield new BooleanItem(tag, valueNode.booleanValue());
      }
      case TEXT_STRING -> new TextStringItem(tag, text(tag, valueNode));
      case BYTE_STRING -> {
        byte[] bytes = hex(tag, text(tag, valueNode));
        ByteStringItem item = new ByteStringItem(tag, bytes);
        Arrays.fill(bytes, (byte) 0);
        yield item;
      }
      case DATE_TIME -> new DateTimeItem(tag, dateTime(tag, valueNode));
      case INTERVAL -> new IntervalItem(tag, integral(tag, valueNode, -1, 0, 0xFFFF_FFFFL));
    };
  }

  private static Tag tag(String name) throws TtlvException {
    var known = Tags.byName(name);
    if (known.isPresent()) {
      return known.get();
    }
    if (name.startsWith("0x") && name.length() == 8) {
      int code = (int) parseHex(name.substring(2), "tag");
      if (Tag.isKmipCode(code)) {
        return Tags.forCode(code);
      }
    }
    throw new TtlvException("unknown tag '" + printable(name) + "'");
  }

  /**
   * An integral number, or {@code "0x"} + exactly {@code hexDigits} hex digits read as two's
   * complement ({@code hexDigits < 0}: no hex form accepted).
   */
  private static long integral(Tag tag, JsonNode node, int hexDigits, long min, long max)
      throws TtlvException {
    long value;
    if (node.isTextual() && hexDigits > 0) {
      String text = node.textValue();
      if (!text.startsWith("0x") || text.length() != 2 + hexDigits) {
        throw new TtlvException(tag + ": hex form must be 0x followed by " + hexDigits + " digits");
      }
      long raw = parseHex(text.substring(2), tag.name());
      value = hexDigits == 8 ? (int) raw : raw;
    } else if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else {
      throw new TtlvException(tag + ": expected an integral number");
    }
    if (value < min || value > max) {
      throw new TtlvException(tag + ": number out of range");
    }
    return value;
  }

  private static int enumeration(Tag tag, JsonNode node) throws TtlvException {
    String text = text(tag, node);
    if (text.startsWith("0x")) {
      if (text.length() != 10) {
        throw new TtlvException(tag + ": enumeration hex form must have 8 digits");
      }
      return (int) parseHex(text.substring(2), tag.name());
    }
    OptionalInt value = KmipEnums.valueOf(tag, text);
    if (value.isEmpty()) {
      throw new TtlvException(tag + ": unknown enumeration value '" + printable(text) + "'");
    }
    return value.getAsInt();
  }

  private static byte[] hexPrefixed(Tag tag, JsonNode node) throws TtlvException {
    String text = text(tag, node);
    if (!text.startsWith("0x") || text.length() < 4) {
      throw new TtlvException(tag + ": a BigInteger must be 0x followed by hex digits");
    }
    return hex(tag, text.substring(2));
  }

  private static long dateTime(Tag tag, JsonNode node) throws TtlvException {
    String text = text(tag, node);
    if (text.startsWith("0x")) {
      if (text.length() != 18) {
        throw new TtlvException(tag + ": DateTime hex form must have 16 digits");
      }
      return parseHex(text.substring(2), tag.name());
    }
    try {
      return OffsetDateTime.parse(text).toEpochSecond();
    } catch (DateTimeParseException e) {
      throw new TtlvException(tag + ": DateTime is not ISO-8601");
    }
  }

  private static String text(Tag tag, JsonNode node) throws TtlvException {
    if (!node.isTextual()) {
      throw new TtlvException(tag + ": expected a string value");
    }
    return node.textValue();
  }

  private static byte[] hex(Tag tag, String text) throws TtlvException {
    if (text.length() % 2 != 0) {
      throw new TtlvException(tag + ": odd number of hex digits");
    }
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new TtlvException(tag + ": not hexadecimal");
    }
  }

  private static long parseHex(String digits, String what) throws TtlvException {
    if (digits.isEmpty() || digits.length() > 16) {
      throw new TtlvException(what + ": bad hex number");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new TtlvException(what + ": bad hex number");
      }
    }
    return Long.parseUnsignedLong(digits, 16);
  }

  /** Names from the input are echoed in messages only in a short, printable form. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 40; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}
