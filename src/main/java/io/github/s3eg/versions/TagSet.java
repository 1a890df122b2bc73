package io.github.s3eg.versions;

import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.S3RequestParser;
import io.github.s3eg.s3.xml.XmlReader;
import io.github.s3eg.s3.xml.XmlWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * The tags of an object or a bucket, as S3 takes them: an {@code x-amz-tagging} header ({@code
 * k1=v1&k2=v2}, URL-encoded) on PutObject, CopyObject and CreateMultipartUpload, or a {@code
 * <Tagging><TagSet><Tag><Key/><Value/></Tag>…} document. Checked with S3's limits (keys 1 to 128
 * characters, values up to 256, no key twice; 10 tags for an object, 50 for a bucket) before the
 * backend sees them.
 *
 * <p>Tags are not encrypted: the backend stores and shows them as they are, like the object's key
 * (docs/security.md). They are the client's to choose; the gateway keeps none of its own there.
 */
public record TagSet(Map<String, String> tags) {

  /** S3's limit for an object's tags. */
  public static final int MAX_OBJECT_TAGS = 10;

  /** S3's limit for a bucket's tags. */
  public static final int MAX_BUCKET_TAGS = 50;

  static final int MAX_KEY_LENGTH = 128;
  static final int MAX_VALUE_LENGTH = 256;

  public TagSet {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  public static final TagSet EMPTY = new TagSet(Map.of());

  /**
   * The tags of an {@code x-amz-tagging} header.
   *
   * @throws S3Exception InvalidArgument for a malformed header, InvalidTag beyond S3's limits
   */
  public static TagSet fromHeader(String header) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (header == null || header.isEmpty()) {
      return EMPTY;
    }
    for (String pair : header.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (tags.put(key, value) != null) {
        throw invalidTag("Cannot provide multiple Tags with the same key");
      }
    }
    return checked(tags, MAX_OBJECT_TAGS);
  }

  /**
   * The tags of a {@code Tagging} document.
   *
   * @param limit {@link #MAX_OBJECT_TAGS} or {@link #MAX_BUCKET_TAGS}
   */
  public static TagSet fromXml(XmlReader.Element tagging, int limit) {
    if (!tagging.name().equals("Tagging")) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Expected a Tagging document.");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    List<XmlReader.Element> sets = tagging.all("TagSet");
    if (sets.size() != 1) {
      throw new S3Exception(S3ErrorCode.MALFORMED_XML, "A Tagging document has one TagSet.");
    }
    for (XmlReader.Element tag : sets.get(0).all("Tag")) {
      String key = tag.childText("Key");
      String value = tag.childText("Value");
      if (key == null) {
        throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Every Tag needs a Key.");
      }
      if (tags.put(key, value == null ? "" : value) != null) {
        throw invalidTag("Cannot provide multiple Tags with the same key");
      }
    }
    return checked(tags, limit);
  }

  /** The tags the backend answered. */
  public static TagSet of(List<Tag> tags) {
    Map<String, String> m = new LinkedHashMap<>();
    tags.forEach(t -> m.put(t.key(), t.value() == null ? "" : t.value()));
    return new TagSet(m);
  }

  private static TagSet checked(Map<String, String> tags, int limit) {
    if (tags.size() > limit) {
      throw invalidTag("Object tags cannot be greater than " + limit);
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      int keyLength = e.getKey().codePointCount(0, e.getKey().length());
      if (keyLength < 1 || keyLength > MAX_KEY_LENGTH) {
        throw invalidTag("The TagKey you have provided is invalid");
      }
      if (e.getValue().codePointCount(0, e.getValue().length()) > MAX_VALUE_LENGTH) {
        throw invalidTag("The TagValue you have provided is invalid");
      }
    }
    return new TagSet(tags);
  }

  public boolean isEmpty() {
    return tags.isEmpty();
  }

  /** The {@code x-amz-tagging} form, URL-encoded. */
  public String toHeader() {
    return tags.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** The SDK's form, for Put*Tagging. */
  public Tagging toTagging() {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    return Tagging.builder().tagSet(list).build();
  }

  /** The {@code Tagging} document S3 answers Get*Tagging with. */
  public byte[] toXml() {
    XmlWriter xml = new XmlWriter().root("Tagging").start("TagSet");
    tags.forEach((k, v) -> xml.start("Tag").element("Key", k).element("Value", v).end());
    return xml.toBytes();
  }

  private static String decode(String s) {
    try {
      return S3RequestParser.parseQuery("x=" + s).getOrDefault("x", "");
    } catch (S3Exception e) {
      throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The header 'x-amz-tagging' is not valid")
          .with("ArgumentName", "x-amz-tagging");
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static S3Exception invalidTag(String message) {
    return new S3Exception(S3ErrorCode.INVALID_TAG, message);
  }
}
