package io.github.s3eg.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/object-format.md is the contract an independent reader (tools/recover.py, {@code
 * RecoveryScriptTest}) is written from, so it must not fall behind the code: every
 * domain-separation label the code feeds into a key derivation, MAC or associated data is
 * documented, and the statements an earlier reading found wrong stay right.
 */
class ObjectFormatDocumentTest {

  static final Path DOC = Path.of("docs", "object-format.md");
  static final Pattern LABEL = Pattern.compile("\"(s3eg/[a-z0-9/-]+)\"");

  static Set<String> labelsInTheCode() throws IOException {
    Set<String> labels = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = LABEL.matcher(Files.readString(f));
        while (m.find()) {
          labels.add(m.group(1));
        }
      }
    }
    return labels;
  }

  @Test
  void everyLabelTheCodeUsesIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    Set<String> labels = labelsInTheCode();
    assertThat(labels).contains("s3eg/wrap", "s3eg/v1/object", "s3eg/v2/part");
    for (String label : labels) {
      assertThat(doc).as("label %s in docs/object-format.md", label).contains("`" + label);
    }
  }

  @Test
  void theLabelsInsideVersion4AreExplainedAsDomainSeparators() throws IOException {
    String doc = Files.readString(DOC);
    assertThat(doc).contains("**Labels are not versions.**");
    String explained = section(doc, "**Labels are not versions.**");
    for (String label : labelsInTheCode()) {
      assertThat(explained).as("%s listed where labels are explained", label).contains(label);
    }
  }

  @Test
  void multipartMetadataAndParsingRulesNameTheVersionsTheGatewayWrites() throws IOException {
    String doc = Files.readString(DOC);
    assertThat(section(doc, "### 12.1")).contains("| `s3eg-v` | `4` (`3` for objects");
    String parsing = section(doc, "**Parsing is strict**");
    assertThat(parsing)
        .contains("a version other than 1 to\n   4 → `UnsupportedVersion`")
        .doesNotContain("the seven above")
        .contains("versions 3 and 4 allow those six");
    assertThat(section(doc, "**Password KEK.**")).contains("**UTF-8 bytes**");
  }

  /** From {@code start} to the next blank line followed by a heading or bold paragraph. */
  static String section(String doc, String start) {
    int from = doc.indexOf(start);
    assertThat(from).as("'%s' in docs/object-format.md", start).isNotNegative();
    int end = doc.length();
    Matcher next = Pattern.compile("\n\n(#|\\*\\*[A-Z])").matcher(doc);
    if (next.find(from + start.length())) {
      end = next.start();
    }
    return doc.substring(from, end);
  }
}
