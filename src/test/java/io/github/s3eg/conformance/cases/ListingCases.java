package io.github.s3eg.conformance.cases;

import static io.github.s3eg.conformance.CaseContext.bytes;
import static io.github.s3eg.conformance.CaseContext.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.conformance.CaseContext;
import io.github.s3eg.conformance.CaseTable;
import io.github.s3eg.conformance.HttpResult;
import io.github.s3eg.conformance.Xml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Listings (S3 API reference: ListObjects, ListObjectsV2, ListObjectVersions): order, prefixes,
 * delimiters, pagination (max-keys, marker, continuation-token, start-after), the elements of the
 * XML answer, encoding-type=url, sizes and ETags of the listed objects.
 */
final class ListingCases {

  private ListingCases() {}

  static void addTo(CaseTable t) {
    common(t);
    v1(t);
    v2(t);
    encoding(t);
    versions(t);
  }

  /** Puts each key with a body of its own name. */
  static void keys(CaseContext c, String... keys) {
    for (String k : keys) {
      c.put(k, k);
    }
  }

  static Xml listV2(CaseContext c, String... query) {
    var r = c.request("GET").bucket(c.bucket()).query("list-type", "2");
    for (int i = 0; i < query.length; i += 2) {
      r.query(query[i], query[i + 1]);
    }
    HttpResult got = r.send();
    assertThat(got.status()).as(got.toString()).isEqualTo(200);
    return got.xml();
  }

  static Xml listV1(CaseContext c, String... query) {
    var r = c.request("GET").bucket(c.bucket());
    for (int i = 0; i < query.length; i += 2) {
      r.query(query[i], query[i + 1]);
    }
    HttpResult got = r.send();
    assertThat(got.status()).as(got.toString()).isEqualTo(200);
    return got.xml();
  }

  private static void common(CaseTable t) {
    t.add(
        "listing/utf8-binary-order",
        "Keys are listed in UTF-8 binary order",
        c -> {
          keys(c, "b", "a.c", "B", "~", "é", "a/b", "a-b", "0");
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents())
              .extracting(o -> o.key())
              .containsExactly("0", "B", "a-b", "a.c", "a/b", "b", "~", "é");
        });
    t.add(
        "listing/plaintext-size",
        "A listed object's Size is the size of its body",
        c -> {
          c.put("k", bytes(12_345));
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents().get(0).size())
              .isEqualTo(12_345L);
        });
    t.add(
        "listing/etag-equals-head",
        "A listed object's ETag is its ETag on HEAD",
        c -> {
          String etag = c.put("k", bytes(100)).eTag();
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents().get(0).eTag())
              .isEqualTo(etag);
        });
    t.add(
        "listing/last-modified-format",
        "LastModified is an ISO 8601 UTC timestamp with milliseconds",
        c -> {
          c.put("k", bytes(1));
          assertThat(listV2(c).text("/ListBucketResult/Contents/LastModified"))
              .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        });
    t.add(
        "listing/storage-class",
        "A listed object of the default class has StorageClass STANDARD",
        c -> {
          c.put("k", bytes(1));
          assertThat(listV2(c).text("/ListBucketResult/Contents/StorageClass"))
              .isEqualTo("STANDARD");
        });
    t.add(
        "listing/empty-bucket",
        "An empty bucket lists no Contents and is not truncated",
        c -> {
          c.bucket();
          Xml x = listV2(c);
          assertThat(x.has("/ListBucketResult/Contents")).isFalse();
          assertThat(x.text("/ListBucketResult/IsTruncated")).isEqualTo("false");
        });
    t.add(
        "listing/prefix",
        "prefix= lists only the keys that start with it",
        c -> {
          keys(c, "photos/a.jpg", "photos/b.jpg", "docs/c.txt", "photosx");
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket()).prefix("photos/")).contents())
              .extracting(o -> o.key())
              .containsExactly("photos/a.jpg", "photos/b.jpg");
        });
    t.add(
        "listing/prefix-no-match",
        "A prefix no key starts with lists nothing",
        c -> {
          keys(c, "a");
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket()).prefix("zzz")).contents())
              .isEmpty();
        });
    t.add(
        "listing/prefix-is-a-key",
        "A prefix equal to a key lists that key and the keys below it",
        c -> {
          keys(c, "a", "a/b", "ab", "b");
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket()).prefix("a")).contents())
              .extracting(o -> o.key())
              .containsExactly("a", "a/b", "ab");
        });
    t.add(
        "listing/delimiter-common-prefixes",
        "delimiter=/ rolls keys below a '/' up into CommonPrefixes",
        c -> {
          keys(c, "a/1", "a/2", "b/1", "top");
          ListObjectsV2Response r = c.s3().listObjectsV2(l -> l.bucket(c.bucket()).delimiter("/"));
          assertThat(r.contents()).extracting(o -> o.key()).containsExactly("top");
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "b/");
        });
    t.add(
        "listing/delimiter-with-prefix",
        "prefix=a/ with delimiter=/ lists one level below a/",
        c -> {
          keys(c, "a/x", "a/sub/y", "a/sub/z", "a/other/w", "b/q");
          ListObjectsV2Response r =
              c.s3().listObjectsV2(l -> l.bucket(c.bucket()).prefix("a/").delimiter("/"));
          assertThat(r.contents()).extracting(o -> o.key()).containsExactly("a/x");
          assertThat(r.commonPrefixes())
              .extracting(p -> p.prefix())
              .containsExactly("a/other/", "a/sub/");
        });
    t.add(
        "listing/delimiter-not-slash",
        "Any character can be the delimiter (here '|')",
        c -> {
          keys(c, "x|1", "x|2", "y");
          ListObjectsV2Response r = c.s3().listObjectsV2(l -> l.bucket(c.bucket()).delimiter("|"));
          assertThat(r.contents()).extracting(o -> o.key()).containsExactly("y");
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("x|");
        });
    t.add(
        "listing/folder-marker-object",
        "A 'folder/' object is listed under prefix folder/ with delimiter /",
        c -> {
          c.put("folder/", new byte[0]);
          keys(c, "folder/file");
          ListObjectsV2Response r =
              c.s3().listObjectsV2(l -> l.bucket(c.bucket()).prefix("folder/").delimiter("/"));
          assertThat(r.contents())
              .extracting(o -> o.key())
              .containsExactly("folder/", "folder/file");
        });
    t.add(
        "listing/prefixes-count-toward-max-keys",
        "CommonPrefixes count toward max-keys: 3 prefixes with max-keys=2 is truncated",
        c -> {
          keys(c, "a/1", "b/1", "c/1");
          ListObjectsV2Response r =
              c.s3().listObjectsV2(l -> l.bucket(c.bucket()).delimiter("/").maxKeys(2));
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "b/");
          assertThat(r.isTruncated()).isTrue();
        });
    t.add(
        "listing/max-keys-invalid",
        "max-keys=-1: 400 InvalidArgument",
        c -> {
          c.bucket();
          expectError(
              400,
              "InvalidArgument",
              c.request("GET")
                  .bucket(c.bucket())
                  .query("list-type", "2")
                  .query("max-keys", "-1")
                  .send());
        });
    t.add(
        "listing/missing-bucket",
        "Listing a bucket that does not exist: 404 NoSuchBucket",
        c ->
            expectError(
                404, "NoSuchBucket", () -> c.s3().listObjectsV2(l -> l.bucket(c.newBucketName()))));
    t.add(
        "listing/deleted-key-gone",
        "A deleted key is no longer listed",
        c -> {
          keys(c, "a", "b");
          c.s3().deleteObject(r -> r.bucket(c.bucket()).key("a"));
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket())).contents())
              .extracting(o -> o.key())
              .containsExactly("b");
        });
    t.add(
        "listing/default-max-keys-1000",
        "Without max-keys, a listing returns at most 1000 keys and is truncated beyond",
        c -> {
          String bucket = c.bucket();
          try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 1001; i++) {
              String key = String.format("k%04d", i);
              puts.add(pool.submit(() -> c.put(bucket, key, new byte[0])));
            }
            for (Future<?> f : puts) {
              f.get();
            }
          }
          ListObjectsV2Response r = c.s3().listObjectsV2(l -> l.bucket(bucket));
          assertThat(r.contents()).hasSize(1000);
          assertThat(r.isTruncated()).isTrue();
          assertThat(r.maxKeys()).isEqualTo(1000);
          ListObjectsV2Response rest =
              c.s3()
                  .listObjectsV2(
                      l -> l.bucket(bucket).continuationToken(r.nextContinuationToken()));
          assertThat(rest.contents()).extracting(o -> o.key()).containsExactly("k1000");
        });
  }

  private static void v1(CaseTable t) {
    t.add(
        "listing-v1/elements",
        "ListObjects (v1) answers ListBucketResult with Name, Prefix, Marker, MaxKeys, IsTruncated",
        c -> {
          keys(c, "a");
          Xml x = listV1(c);
          assertThat(x.root()).isEqualTo("ListBucketResult");
          assertThat(x.text("/ListBucketResult/Name")).isEqualTo(c.bucket());
          assertThat(x.has("/ListBucketResult/Prefix")).isTrue();
          assertThat(x.has("/ListBucketResult/Marker")).isTrue();
          assertThat(x.text("/ListBucketResult/MaxKeys")).isEqualTo("1000");
          assertThat(x.text("/ListBucketResult/IsTruncated")).isEqualTo("false");
        });
    t.add(
        "listing-v1/owner",
        "ListObjects (v1) gives each object's Owner",
        c -> {
          keys(c, "a");
          assertThat(listV1(c).has("/ListBucketResult/Contents/Owner/ID")).isTrue();
        });
    t.add(
        "listing-v1/max-keys-and-marker",
        "ListObjects (v1) with max-keys=2 is truncated; marker= the last key continues",
        c -> {
          keys(c, "a", "b", "c", "d", "e");
          ListObjectsResponse first = c.s3().listObjects(l -> l.bucket(c.bucket()).maxKeys(2));
          assertThat(first.contents()).extracting(o -> o.key()).containsExactly("a", "b");
          assertThat(first.isTruncated()).isTrue();
          ListObjectsResponse next =
              c.s3().listObjects(l -> l.bucket(c.bucket()).maxKeys(2).marker("b"));
          assertThat(next.contents()).extracting(o -> o.key()).containsExactly("c", "d");
        });
    t.add(
        "listing-v1/next-marker-with-delimiter",
        "ListObjects (v1) truncated with a delimiter answers NextMarker",
        c -> {
          keys(c, "a/1", "b/1", "c");
          ListObjectsResponse r =
              c.s3().listObjects(l -> l.bucket(c.bucket()).delimiter("/").maxKeys(1));
          assertThat(r.isTruncated()).isTrue();
          assertThat(r.nextMarker()).isEqualTo("a/");
          ListObjectsResponse next =
              c.s3().listObjects(l -> l.bucket(c.bucket()).delimiter("/").marker(r.nextMarker()));
          assertThat(next.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("b/");
          assertThat(next.contents()).extracting(o -> o.key()).containsExactly("c");
        });
    t.add(
        "listing-v1/marker-past-all",
        "ListObjects (v1) with a marker after every key lists nothing",
        c -> {
          keys(c, "a", "b");
          assertThat(c.s3().listObjects(l -> l.bucket(c.bucket()).marker("zz")).contents())
              .isEmpty();
        });
    t.add(
        "listing-v1/delimiter",
        "ListObjects (v1) with delimiter=/ answers CommonPrefixes",
        c -> {
          keys(c, "a/1", "a/2", "top");
          ListObjectsResponse r = c.s3().listObjects(l -> l.bucket(c.bucket()).delimiter("/"));
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/");
          assertThat(r.contents()).extracting(o -> o.key()).containsExactly("top");
        });
    t.add(
        "listing-v1/pages-cover-all-keys",
        "Paging ListObjects (v1) by max-keys=3 lists every key once",
        c -> {
          String[] all = {"a", "b", "c", "d", "e", "f", "g"};
          keys(c, all);
          List<String> seen = new ArrayList<>();
          String marker = null;
          do {
            String m = marker;
            ListObjectsResponse r =
                c.s3().listObjects(l -> l.bucket(c.bucket()).maxKeys(3).marker(m));
            r.contents().forEach(o -> seen.add(o.key()));
            marker = r.isTruncated() ? r.contents().get(r.contents().size() - 1).key() : null;
          } while (marker != null);
          assertThat(seen).containsExactly(all);
        });
    t.add(
        "listing-v1/empty-delimiter-absent",
        "ListObjects (v1) with delimiter= (empty) treats it as absent: no Delimiter, no grouping",
        c -> {
          keys(c, "a/1", "b");
          Xml x = listV1(c, "delimiter", "");
          assertThat(x.has("/ListBucketResult/Delimiter")).as("Delimiter element").isFalse();
          assertThat(x.all("/ListBucketResult/Contents/Key")).containsExactly("a/1", "b");
        });
  }

  private static void v2(CaseTable t) {
    t.add(
        "listing-v2/elements",
        "ListObjectsV2 answers Name, Prefix, KeyCount, MaxKeys, IsTruncated",
        c -> {
          keys(c, "a", "b");
          Xml x = listV2(c);
          assertThat(x.text("/ListBucketResult/Name")).isEqualTo(c.bucket());
          assertThat(x.has("/ListBucketResult/Prefix")).isTrue();
          assertThat(x.text("/ListBucketResult/KeyCount")).isEqualTo("2");
          assertThat(x.text("/ListBucketResult/MaxKeys")).isEqualTo("1000");
          assertThat(x.text("/ListBucketResult/IsTruncated")).isEqualTo("false");
        });
    t.add(
        "listing-v2/key-count-includes-prefixes",
        "KeyCount counts keys and CommonPrefixes",
        c -> {
          keys(c, "a/1", "a/2", "b");
          assertThat(listV2(c, "delimiter", "/").text("/ListBucketResult/KeyCount")).isEqualTo("2");
        });
    t.add(
        "listing-v2/no-owner-by-default",
        "ListObjectsV2 gives no Owner unless fetch-owner=true",
        c -> {
          keys(c, "a");
          assertThat(listV2(c).has("/ListBucketResult/Contents/Owner")).isFalse();
        });
    t.add(
        "listing-v2/fetch-owner",
        "ListObjectsV2 with fetch-owner=true gives each object's Owner",
        c -> {
          keys(c, "a");
          assertThat(listV2(c, "fetch-owner", "true").has("/ListBucketResult/Contents/Owner/ID"))
              .isTrue();
        });
    t.add(
        "listing-v2/continuation",
        "ListObjectsV2 with max-keys=2 pages through every key with continuation tokens",
        c -> {
          String[] all = {"a", "b", "c", "d", "e"};
          keys(c, all);
          List<String> seen = new ArrayList<>();
          String token = null;
          int pages = 0;
          do {
            String tk = token;
            ListObjectsV2Response r =
                c.s3().listObjectsV2(l -> l.bucket(c.bucket()).maxKeys(2).continuationToken(tk));
            r.contents().forEach(o -> seen.add(o.key()));
            token = r.isTruncated() ? r.nextContinuationToken() : null;
            pages++;
          } while (token != null && pages < 10);
          assertThat(seen).containsExactly(all);
          assertThat(pages).isEqualTo(3);
        });
    t.add(
        "listing-v2/continuation-token-echoed",
        "A page asked for with continuation-token echoes ContinuationToken",
        c -> {
          keys(c, "a", "b", "c");
          String token = listV2(c, "max-keys", "1").text("/ListBucketResult/NextContinuationToken");
          assertThat(token).isNotEmpty();
          assertThat(
                  listV2(c, "continuation-token", token)
                      .text("/ListBucketResult/ContinuationToken"))
              .isEqualTo(token);
        });
    t.add(
        "listing-v2/start-after",
        "start-after lists only the keys after it",
        c -> {
          keys(c, "a", "b", "c");
          ListObjectsV2Response r = c.s3().listObjectsV2(l -> l.bucket(c.bucket()).startAfter("a"));
          assertThat(r.contents()).extracting(o -> o.key()).containsExactly("b", "c");
          assertThat(r.startAfter()).isEqualTo("a");
        });
    t.add(
        "listing-v2/start-after-not-a-key",
        "start-after need not be a key: listing starts after where it would sort",
        c -> {
          keys(c, "apple", "banana", "cherry");
          assertThat(c.s3().listObjectsV2(l -> l.bucket(c.bucket()).startAfter("b")).contents())
              .extracting(o -> o.key())
              .containsExactly("banana", "cherry");
        });
    t.add(
        "listing-v2/max-keys-zero",
        "max-keys=0 lists no keys",
        c -> {
          keys(c, "a");
          assertThat(listV2(c, "max-keys", "0").has("/ListBucketResult/Contents")).isFalse();
        });
    t.add(
        "listing-v2/empty-delimiter-absent",
        "ListObjectsV2 with delimiter= (empty) treats it as absent: no Delimiter, no grouping",
        c -> {
          keys(c, "a/1", "b");
          Xml x = listV2(c, "delimiter", "");
          assertThat(x.has("/ListBucketResult/Delimiter")).as("Delimiter element").isFalse();
          assertThat(x.all("/ListBucketResult/Contents/Key")).containsExactly("a/1", "b");
        });
    t.add(
        "listing-v2/empty-prefix-lists-all",
        "ListObjectsV2 with prefix= (empty) lists every key",
        c -> {
          keys(c, "a/1", "b");
          assertThat(listV2(c, "prefix", "").all("/ListBucketResult/Contents/Key"))
              .containsExactly("a/1", "b");
        });
    t.add(
        "listing-v2/delimiter-echoed",
        "ListObjectsV2 echoes the delimiter and prefix it was given",
        c -> {
          keys(c, "p/a/1");
          Xml x = listV2(c, "delimiter", "/", "prefix", "p/");
          assertThat(x.text("/ListBucketResult/Delimiter")).isEqualTo("/");
          assertThat(x.text("/ListBucketResult/Prefix")).isEqualTo("p/");
        });
    t.add(
        "listing-v2/invalid-continuation-token",
        "A continuation-token S3 never issued: 400 InvalidArgument",
        c -> {
          keys(c, "a");
          expectError(
              400,
              "InvalidArgument",
              c.request("GET")
                  .bucket(c.bucket())
                  .query("list-type", "2")
                  .query("continuation-token", "not-a-token")
                  .send());
        });
  }

  /** Keys XML 1.0 or URLs handle badly, listed with encoding-type=url. */
  private static void encoding(CaseTable t) {
    String[][] keys = {
      {"space", "a b"},
      {"plus", "a+b"},
      {"percent", "100%"},
      {"hash-question", "x#y?z"},
      {"unicode", "ünï/日本"},
      {"ampersand", "a&b=c"},
      {"trailing-slash", "dir/"},
      {"control-character", "bell\u0007char"},
    };
    for (String[] k : keys) {
      String key = k[1];
      t.add(
          "listing-encoding/v2-" + k[0],
          "ListObjectsV2 with encoding-type=url: the Key element decodes (once) to '"
              + key.replace("\u0007", "\\u0007")
              + "'",
          c -> {
            c.put(key, "x");
            Xml x = listV2(c, "encoding-type", "url");
            assertThat(x.text("/ListBucketResult/EncodingType")).isEqualTo("url");
            assertThat(decode(x.text("/ListBucketResult/Contents/Key"))).isEqualTo(key);
          });
    }
    t.add(
        "listing-encoding/v1-key",
        "ListObjects (v1) with encoding-type=url: keys decode once to themselves",
        c -> {
          c.put("a b+c%d", "x");
          Xml x = listV1(c, "encoding-type", "url");
          assertThat(decode(x.text("/ListBucketResult/Contents/Key"))).isEqualTo("a b+c%d");
        });
    t.add(
        "listing-encoding/v2-prefix-echo",
        "ListObjectsV2 with encoding-type=url: Prefix decodes once to the prefix asked for",
        c -> {
          c.put("foo/bar", "x");
          Xml x = listV2(c, "encoding-type", "url", "prefix", "foo/");
          assertThat(decode(x.text("/ListBucketResult/Prefix"))).isEqualTo("foo/");
        });
    t.add(
        "listing-encoding/v2-delimiter-echo",
        "ListObjectsV2 with encoding-type=url: Delimiter decodes once to the delimiter",
        c -> {
          c.put("foo/bar", "x");
          Xml x = listV2(c, "encoding-type", "url", "delimiter", "/");
          assertThat(decode(x.text("/ListBucketResult/Delimiter"))).isEqualTo("/");
        });
    t.add(
        "listing-encoding/v2-common-prefix",
        "ListObjectsV2 with encoding-type=url: a CommonPrefix decodes once to itself",
        c -> {
          c.put("a dir/x", "x");
          Xml x = listV2(c, "encoding-type", "url", "delimiter", "/");
          assertThat(decode(x.text("/ListBucketResult/CommonPrefixes/Prefix"))).isEqualTo("a dir/");
        });
    t.add(
        "listing-encoding/v2-start-after-echo",
        "ListObjectsV2 with encoding-type=url: StartAfter decodes once to the value given",
        c -> {
          c.put("b c", "x");
          Xml x = listV2(c, "encoding-type", "url", "start-after", "a b");
          assertThat(decode(x.text("/ListBucketResult/StartAfter"))).isEqualTo("a b");
        });
    t.add(
        "listing-encoding/v1-prefix-echo",
        "ListObjects (v1) with encoding-type=url: Prefix decodes once to the prefix asked for",
        c -> {
          c.put("foo/bar", "x");
          Xml x = listV1(c, "encoding-type", "url", "prefix", "foo/");
          assertThat(decode(x.text("/ListBucketResult/Prefix"))).isEqualTo("foo/");
        });
    t.add(
        "listing-encoding/sdk-decodes-v2",
        "The SDK's ListObjectsV2 with EncodingType.URL gives back the keys as stored",
        c -> {
          c.put("a b/c+d", "x");
          assertThat(
                  c.s3()
                      .listObjectsV2(
                          l ->
                              l.bucket(c.bucket())
                                  .encodingType(
                                      software.amazon.awssdk.services.s3.model.EncodingType.URL))
                      .contents())
              .extracting(o -> o.key())
              .containsExactly("a b/c+d");
        });
    t.add(
        "listing-encoding/multipart-uploads",
        "ListMultipartUploads with encoding-type=url: the Key decodes once to itself",
        c -> {
          c.s3().createMultipartUpload(r -> r.bucket(c.bucket()).key("up load+1"));
          HttpResult r =
              c.request("GET")
                  .bucket(c.bucket())
                  .query("uploads", null)
                  .query("encoding-type", "url")
                  .send();
          assertThat(r.status()).isEqualTo(200);
          assertThat(decode(r.xml().text("/ListMultipartUploadsResult/Upload/Key")))
              .isEqualTo("up load+1");
        });
  }

  private static void versions(CaseTable t) {
    t.add(
        "listing-versions/unversioned-bucket",
        "ListObjectVersions of an unversioned bucket lists each object once, VersionId null,"
            + " IsLatest true",
        c -> {
          keys(c, "a", "b");
          var r = c.s3().listObjectVersions(l -> l.bucket(c.bucket()));
          assertThat(r.versions()).extracting(v -> v.key()).containsExactly("a", "b");
          assertThat(r.versions()).extracting(v -> v.versionId()).containsOnly("null");
          assertThat(r.versions()).extracting(v -> v.isLatest()).containsOnly(true);
        });
    t.add(
        "listing-versions/prefix-delimiter",
        "ListObjectVersions honours prefix and delimiter",
        c -> {
          keys(c, "p/a/1", "p/b", "q");
          var r = c.s3().listObjectVersions(l -> l.bucket(c.bucket()).prefix("p/").delimiter("/"));
          assertThat(r.versions()).extracting(v -> v.key()).containsExactly("p/b");
          assertThat(r.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("p/a/");
        });
    t.add(
        "listing-versions/size-and-etag",
        "ListObjectVersions gives each version's Size and ETag",
        c -> {
          String etag = c.put("k", bytes(999)).eTag();
          var v = c.s3().listObjectVersions(l -> l.bucket(c.bucket())).versions().get(0);
          assertThat(v.size()).isEqualTo(999L);
          assertThat(v.eTag()).isEqualTo(etag);
        });
    t.add(
        "listing-versions/versioned-overwrite",
        "In a versioned bucket, an overwrite keeps both versions: two entries, one IsLatest",
        java.util.Set.of(io.github.s3eg.conformance.Capability.VERSIONING),
        c -> {
          c.s3()
              .putBucketVersioning(
                  r ->
                      r.bucket(c.bucket())
                          .versioningConfiguration(
                              v ->
                                  v.status(
                                      software.amazon.awssdk.services.s3.model
                                          .BucketVersioningStatus.ENABLED)));
          c.put("k", "v1");
          c.put("k", "v2");
          var r = c.s3().listObjectVersions(l -> l.bucket(c.bucket()));
          assertThat(r.versions()).hasSize(2);
          assertThat(r.versions()).filteredOn(v -> v.isLatest()).hasSize(1);
        });
  }

  /** Decodes what S3 encoded with encoding-type=url (form encoding: '+' is a space). */
  static String decode(String encoded) {
    return encoded == null ? null : URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }
}
