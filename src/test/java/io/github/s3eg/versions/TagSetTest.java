package io.github.s3eg.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.s3eg.s3.S3Exception;
import io.github.s3eg.s3.xml.XmlReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagSetTest {

  @Test
  void readsTheTaggingHeaderAsS3EncodesIt() {
    TagSet tags = TagSet.fromHeader("project=apollo&tier=cold%20storage&empty=&plus=a%2Bb");
    assertThat(tags.tags())
        .containsExactly(
            Map.entry("project", "apollo"),
            Map.entry("tier", "cold storage"),
            Map.entry("empty", ""),
            Map.entry("plus", "a+b"));
    assertThat(TagSet.fromHeader(tags.toHeader())).isEqualTo(tags);
    assertThat(tags.toHeader()).isEqualTo("project=apollo&tier=cold%20storage&empty=&plus=a%2Bb");
  }

  @Test
  void refusesWhatS3Refuses() {
    StringBuilder eleven = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
    }
    assertThatThrownBy(() -> TagSet.fromHeader(eleven.toString()))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidTag"));
    assertThatThrownBy(() -> TagSet.fromHeader("a=1&a=2"))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidTag"));
    assertThatThrownBy(() -> TagSet.fromHeader("=value"))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidTag"));
    assertThatThrownBy(() -> TagSet.fromHeader("k=" + "v".repeat(257)))
        .isInstanceOfSatisfying(
            S3Exception.class, e -> assertThat(e.errorCode().code()).isEqualTo("InvalidTag"));
    assertThat(TagSet.fromHeader("k".repeat(128) + "=" + "v".repeat(256)).tags()).hasSize(1);
  }

  @Test
  void readsAndWritesTheTaggingDocument() {
    String xml =
        "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>"
            + "<Tag><Key>b &amp; c</Key><Value></Value></Tag></TagSet></Tagging>";
    TagSet tags =
        TagSet.fromXml(
            XmlReader.parse(xml.getBytes(StandardCharsets.UTF_8)), TagSet.MAX_OBJECT_TAGS);
    assertThat(tags.tags()).containsExactly(Map.entry("a", "1"), Map.entry("b & c", ""));
    assertThat(TagSet.fromXml(XmlReader.parse(tags.toXml()), TagSet.MAX_OBJECT_TAGS))
        .isEqualTo(tags);
  }

  @Test
  void aBucketTakesFiftyTagsAnObjectTen() {
    StringBuilder xml = new StringBuilder("<Tagging><TagSet>");
    for (int i = 0; i < 50; i++) {
      xml.append("<Tag><Key>k").append(i).append("</Key><Value>v</Value></Tag>");
    }
    byte[] doc = xml.append("</TagSet></Tagging>").toString().getBytes(StandardCharsets.UTF_8);
    assertThat(TagSet.fromXml(XmlReader.parse(doc), TagSet.MAX_BUCKET_TAGS).tags()).hasSize(50);
    assertThatThrownBy(() -> TagSet.fromXml(XmlReader.parse(doc), TagSet.MAX_OBJECT_TAGS))
        .isInstanceOf(S3Exception.class);
  }
}
