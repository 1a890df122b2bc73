package io.github.s3eg.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 takes any string as a listing delimiter; the embedded store and S3Proxy refuse any but {@code
 * /} with a bare 400, which clients saw as a 500 (issue 17 finding 9, {@code delimiter=g}). The
 * gateway rolls such delimiters up itself. Each listing, page by page through the SDK's paginators
 * (v1 markers and v2 continuation tokens), must equal S3's semantics computed here from the key
 * set: keys under the prefix that hold the delimiter after it fold into one common prefix each,
 * ending with the delimiter's first occurrence.
 */
class ListingDelimiterTest {

  private static final String BUCKET = "delims";

  private static final List<String> KEYS =
      List.of(
          "a", "ag", "agx", "agy/1", "b/eg/1", "b/eg/2", "b/egg", "dog", "dogs/1", "e", "eggs", "g",
          "gg", "leg/one", "leg/two", "x-ab-1", "x-ab-2", "x-abab", "x-b", "zz");

  private static GatewayFixture fixture;
  private static S3Client client;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(Map.of());
    client = fixture.defaultClient();
    client.createBucket(b -> b.bucket(BUCKET));
    for (String key : KEYS) {
      client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
    }
    // An upload in progress: its bookkeeping objects on the backend must stay hidden too.
    client.createMultipartUpload(b -> b.bucket(BUCKET).key("g-upload"));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    fixture.close();
  }

  @ParameterizedTest(name = "delimiter={0} prefix={1} max-keys={2}")
  @CsvSource({
    "g, '', 1000",
    "g, '', 1",
    "g, '', 2",
    "e, '', 3",
    "e, b/, 1",
    "g, b/e, 1",
    "ab, x-, 1",
    "ab, x-, 1000",
    "-, '', 2",
    "s/, dog, 1",
  })
  void aDelimiterOtherThanSlashListsAsS3Would(String delimiter, String prefix, int maxKeys) {
    List<String> expected = expected(prefix, delimiter);

    List<String> v1 = new ArrayList<>();
    String marker = null;
    for (int pages = 0; pages <= KEYS.size(); pages++) {
      String after = marker;
      ListObjectsResponse page =
          client.listObjects(
              b ->
                  b.bucket(BUCKET)
                      .prefix(prefix)
                      .delimiter(delimiter)
                      .maxKeys(maxKeys)
                      .marker(after));
      assertThat(page.contents().size() + page.commonPrefixes().size())
          .isLessThanOrEqualTo(maxKeys);
      v1.addAll(entries(page.contents(), page.commonPrefixes()));
      if (!page.isTruncated()) {
        break;
      }
      marker = page.nextMarker();
    }
    List<String> v2 = new ArrayList<>();
    client
        .listObjectsV2Paginator(
            b -> b.bucket(BUCKET).prefix(prefix).delimiter(delimiter).maxKeys(maxKeys))
        .forEach(
            page -> {
              assertThat(page.keyCount()).isLessThanOrEqualTo(maxKeys);
              v2.addAll(entries(page.contents(), page.commonPrefixes()));
            });

    assertThat(v1).as("ListObjects").isEqualTo(expected);
    assertThat(v2).as("ListObjectsV2").isEqualTo(expected);
  }

  /** S3's answer from the key set: objects as "key", common prefixes as "prefix/" + "[P]". */
  private static List<String> expected(String prefix, String delimiter) {
    TreeSet<String> entries = new TreeSet<>();
    for (String key : KEYS) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      int at = key.indexOf(delimiter, prefix.length());
      entries.add(at < 0 ? key : "[P]" + key.substring(0, at + delimiter.length()));
    }
    return entries.stream().sorted((x, y) -> strip(x).compareTo(strip(y))).toList();
  }

  private static String strip(String entry) {
    return entry.startsWith("[P]") ? entry.substring(3) : entry;
  }

  /** One page's entries in listing order (objects and prefixes interleave by name). */
  private static List<String> entries(List<S3Object> contents, List<CommonPrefix> prefixes) {
    List<String> all = new ArrayList<>();
    contents.forEach(o -> all.add(o.key()));
    prefixes.forEach(p -> all.add("[P]" + p.prefix()));
    all.sort((x, y) -> strip(x).compareTo(strip(y)));
    return all;
  }
}
