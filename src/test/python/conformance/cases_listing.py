"""Listings with boto3: ListObjects (v1, botocore adds encoding-type=url and decodes),
ListObjectsV2 and its paginator, delimiters, prefixes, explicit URL encoding, versions."""

from urllib.parse import unquote_plus

from conformance_kit import case, check, equal, expect_error, headers


def keys(c, *names):
    for k in names:
        c.put(k, k.encode("utf-8"))


@case("listing/v2-keys-sorted", "ListObjectsV2 lists keys in UTF-8 binary order")
def v2_sorted(c):
    keys(c, "b", "B", "a-b", "a.c", "~", "é", "0")
    got = [o["Key"] for o in c.s3.list_objects_v2(Bucket=c.bucket())["Contents"]]
    equal(got, ["0", "B", "a-b", "a.c", "b", "~", "é"], "order")


@case("listing/v2-paginator", "The ListObjectsV2 paginator with PageSize=2 yields every key once")
def v2_paginator(c):
    names = ["k%d" % i for i in range(7)]
    keys(c, *names)
    pages = c.s3.get_paginator("list_objects_v2").paginate(
        Bucket=c.bucket(), PaginationConfig={"PageSize": 2})
    got, count = [], 0
    for page in pages:
        count += 1
        got += [o["Key"] for o in page.get("Contents", [])]
    equal(got, names, "keys")
    equal(count, 4, "pages")


@case("listing/v1-paginator", "The ListObjects (v1) paginator with PageSize=3 yields every key")
def v1_paginator(c):
    names = ["k%d" % i for i in range(8)]
    keys(c, *names)
    pages = c.s3.get_paginator("list_objects").paginate(
        Bucket=c.bucket(), PaginationConfig={"PageSize": 3})
    got = [o["Key"] for page in pages for o in page.get("Contents", [])]
    equal(got, names, "keys")


@case("listing/v2-delimiter", "Delimiter='/' answers CommonPrefixes and the top-level keys")
def v2_delimiter(c):
    keys(c, "a/1", "a/2", "b/1", "top")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), Delimiter="/")
    equal([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/", "b/"], "CommonPrefixes")
    equal([o["Key"] for o in r.get("Contents", [])], ["top"], "Contents")


@case("listing/v2-prefix-delimiter", "Prefix='a/' with Delimiter='/' lists one level below a/")
def v2_prefix_delimiter(c):
    keys(c, "a/x", "a/sub/y", "b/z")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), Prefix="a/", Delimiter="/")
    equal([o["Key"] for o in r.get("Contents", [])], ["a/x"], "Contents")
    equal([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/sub/"], "CommonPrefixes")


@case("listing/v2-start-after", "StartAfter='b' lists only the keys after b")
def v2_start_after(c):
    keys(c, "a", "b", "c")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), StartAfter="b")
    equal([o["Key"] for o in r["Contents"]], ["c"], "Contents")


@case("listing/v2-key-count", "KeyCount counts the keys of the page")
def v2_key_count(c):
    keys(c, "a", "b", "c")
    equal(c.s3.list_objects_v2(Bucket=c.bucket(), MaxKeys=2)["KeyCount"], 2, "KeyCount")


@case("listing/v2-fetch-owner", "FetchOwner=True gives each object's Owner")
def v2_fetch_owner(c):
    keys(c, "a")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), FetchOwner=True)
    check("Owner" in r["Contents"][0], "no Owner in %r" % r["Contents"][0])


@case("listing/v2-sizes", "Listed Size is the size of the body")
def v2_sizes(c):
    c.put("k", b"x" * 777)
    equal(c.s3.list_objects_v2(Bucket=c.bucket())["Contents"][0]["Size"], 777, "Size")


@case("listing/v2-etag-equals-head", "A listed ETag is the object's ETag on HEAD")
def v2_etag(c):
    etag = c.put("k", b"x" * 10)["ETag"]
    equal(c.s3.list_objects_v2(Bucket=c.bucket())["Contents"][0]["ETag"], etag, "ETag")


@case("listing/empty-bucket", "An empty bucket lists no Contents, KeyCount 0")
def empty_bucket(c):
    r = c.s3.list_objects_v2(Bucket=c.bucket())
    check("Contents" not in r, "Contents in an empty bucket")
    equal(r["KeyCount"], 0, "KeyCount")


@case("listing/missing-bucket", "Listing a bucket that does not exist: 404 NoSuchBucket")
def missing_bucket(c):
    expect_error(404, "NoSuchBucket", c.s3.list_objects_v2, Bucket=c.new_bucket_name())


@case("listing/v2-empty-delimiter", "Delimiter='' is treated as absent: no grouping, no echo")
def v2_empty_delimiter(c):
    keys(c, "a/1", "b")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), Delimiter="")
    equal([o["Key"] for o in r.get("Contents", [])], ["a/1", "b"], "Contents")
    check(not r.get("Delimiter"), "Delimiter echoed as %r" % r.get("Delimiter"))


SPECIAL = {
    "space": "a b",
    "plus": "a+b",
    "percent": "100%",
    "unicode": "ünï/日本",
    "control": "bell\x07char",
    "ampersand": "x&y=z",
}


def _v1_case(slug, key):
    @case("listing-encoding/v1-auto-" + slug,
          "ListObjects v1 (botocore adds encoding-type=url, decodes once) gives back %r" % key)
    def v1_auto(c):
        c.put(key, b"x")
        got = [o["Key"] for o in c.s3.list_objects(Bucket=c.bucket())["Contents"]]
        equal(got, [key], "keys")

    return v1_auto


def _v2_case(slug, key):
    @case("listing-encoding/v2-url-" + slug,
          "ListObjectsV2 EncodingType=url: the Key decodes once to %r" % key)
    def v2_url(c):
        c.put(key, b"x")
        r = c.s3.list_objects_v2(Bucket=c.bucket(), EncodingType="url")
        equal([unquote_plus(o["Key"]) for o in r["Contents"]], [key], "keys")

    return v2_url


for _slug, _key in SPECIAL.items():
    _v1_case(_slug, _key)
    _v2_case(_slug, _key)


@case("listing-encoding/v1-prefix-round-trip",
      "ListObjects v1 with Prefix='foo/' echoes Prefix 'foo/' after botocore decodes it")
def v1_prefix_round_trip(c):
    keys(c, "foo/bar")
    r = c.s3.list_objects(Bucket=c.bucket(), Prefix="foo/")
    equal(r.get("Prefix"), "foo/", "Prefix")


@case("listing-encoding/v1-delimiter-round-trip",
      "ListObjects v1 with Delimiter='/' echoes '/' and CommonPrefixes decoded once")
def v1_delimiter_round_trip(c):
    keys(c, "a dir/x")
    r = c.s3.list_objects(Bucket=c.bucket(), Delimiter="/")
    equal(r.get("Delimiter"), "/", "Delimiter")
    equal([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a dir/"], "CommonPrefixes")


@case("listing-encoding/v2-prefix-url", "ListObjectsV2 EncodingType=url: Prefix decodes to 'a b/'")
def v2_prefix_url(c):
    keys(c, "a b/c")
    r = c.s3.list_objects_v2(Bucket=c.bucket(), EncodingType="url", Prefix="a b/")
    equal(unquote_plus(r.get("Prefix", "")), "a b/", "Prefix")


@case("listing-versions/unversioned", "ListObjectVersions of an unversioned bucket: VersionId null")
def versions_unversioned(c):
    keys(c, "a", "b")
    r = c.s3.list_object_versions(Bucket=c.bucket())
    equal([v["Key"] for v in r.get("Versions", [])], ["a", "b"], "keys")
    equal({v["VersionId"] for v in r.get("Versions", [])}, {"null"}, "VersionIds")


@case("listing-versions/versioned-bucket", "Versions of an overwritten key are both listed",
      requires=("VERSIONING",))
def versions_versioned(c):
    c.s3.put_bucket_versioning(Bucket=c.bucket(), VersioningConfiguration={"Status": "Enabled"})
    c.put("k", b"1")
    c.put("k", b"2")
    r = c.s3.list_object_versions(Bucket=c.bucket())
    equal(len(r.get("Versions", [])), 2, "versions")


@case("listing/v1-response-headers", "ListObjects answers Content-Type application/xml")
def v1_content_type(c):
    keys(c, "a")
    r = c.s3.list_objects(Bucket=c.bucket())
    check(headers(r).get("content-type", "").startswith("application/xml"),
          "Content-Type %r" % headers(r).get("content-type"))
