"""Objects: PutObject, GetObject, HeadObject, DeleteObject(s), headers and metadata, with boto3."""

import datetime
import hashlib
import io

from conformance_kit import case, data, equal, expect_error, headers, check, status


@case("objects/put-get-round-trip", "GetObject returns exactly the bytes PutObject stored")
def put_get_round_trip(c):
    body = data(100_000)
    c.put("k", body)
    equal(c.get("k"), body, "body")


@case("objects/get-missing-key", "GetObject of a key that does not exist: 404 NoSuchKey")
def get_missing_key(c):
    c.bucket()
    expect_error(404, "NoSuchKey", c.get, "missing")


@case("objects/head-missing-key", "HeadObject of a missing key: 404 (boto3 reports code '404')")
def head_missing_key(c):
    expect_error(404, "404", c.s3.head_object, Bucket=c.bucket(), Key="missing")


@case("objects/get-missing-bucket", "GetObject in a bucket that does not exist: 404 NoSuchBucket")
def get_missing_bucket(c):
    expect_error(404, "NoSuchBucket", c.get, "k", bucket=c.new_bucket_name())


@case("objects/put-etag-is-md5", "PutObject's ETag is the quoted MD5 of the body")
def put_etag_is_md5(c):
    body = data(3333)
    r = c.put("k", body)
    equal(r["ETag"], '"%s"' % hashlib.md5(body).hexdigest(), "ETag")


@case("objects/head-size-and-etag", "HeadObject answers ContentLength and the ETag of the PUT")
def head_size_and_etag(c):
    r = c.put("k", data(4321))
    h = c.s3.head_object(Bucket=c.bucket(), Key="k")
    equal(h["ContentLength"], 4321, "ContentLength")
    equal(h["ETag"], r["ETag"], "ETag")


@case("objects/empty-object", "A zero-byte object reads back empty with the MD5 of nothing")
def empty_object(c):
    r = c.put("empty", b"")
    equal(r["ETag"], '"d41d8cd98f00b204e9800998ecf8427e"', "ETag")
    equal(c.get("empty"), b"", "body")


@case("objects/metadata-round-trip", "Metadata= comes back as Metadata on HEAD and GET")
def metadata_round_trip(c):
    c.put("k", b"x", Metadata={"alpha": "1", "beta": "two words"})
    equal(c.s3.head_object(Bucket=c.bucket(), Key="k")["Metadata"],
          {"alpha": "1", "beta": "two words"}, "HEAD Metadata")
    equal(c.s3.get_object(Bucket=c.bucket(), Key="k")["Metadata"],
          {"alpha": "1", "beta": "two words"}, "GET Metadata")


@case("objects/content-type", "ContentType= comes back as ContentType")
def content_type(c):
    c.put("k", b"{}", ContentType="application/json")
    equal(c.s3.get_object(Bucket=c.bucket(), Key="k")["ContentType"], "application/json",
          "ContentType")


@case("objects/cache-control-disposition-language",
      "CacheControl, ContentDisposition, ContentLanguage come back on HEAD")
def cache_control_disposition_language(c):
    c.put("k", b"x", CacheControl="no-cache", ContentDisposition='attachment; filename="a.txt"',
          ContentLanguage="en-GB")
    h = c.s3.head_object(Bucket=c.bucket(), Key="k")
    equal(h.get("CacheControl"), "no-cache", "CacheControl")
    equal(h.get("ContentDisposition"), 'attachment; filename="a.txt"', "ContentDisposition")
    equal(h.get("ContentLanguage"), "en-GB", "ContentLanguage")


@case("objects/expires-header", "Expires= comes back as an IMF-fixdate header (two-digit day)")
def expires_header(c):
    when = datetime.datetime(2037, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
    c.put("k", b"x", Expires=when)
    h = c.s3.head_object(Bucket=c.bucket(), Key="k")
    equal(headers(h).get("expires"), "Wed, 04 Mar 2037 05:06:07 GMT", "Expires header")


@case("objects/website-redirect", "WebsiteRedirectLocation comes back on HEAD")
def website_redirect(c):
    c.put("k", b"x", WebsiteRedirectLocation="/other")
    equal(c.s3.head_object(Bucket=c.bucket(), Key="k").get("WebsiteRedirectLocation"), "/other",
          "WebsiteRedirectLocation")


@case("objects/storage-class", "StorageClass=STANDARD_IA comes back on HEAD")
def storage_class(c):
    c.put("k", b"x", StorageClass="STANDARD_IA")
    equal(c.s3.head_object(Bucket=c.bucket(), Key="k").get("StorageClass"), "STANDARD_IA",
          "StorageClass")


@case("objects/response-overrides", "ResponseContentType/ResponseCacheControl override on GET")
def response_overrides(c):
    c.put("k", b"x", ContentType="text/plain")
    r = c.s3.get_object(Bucket=c.bucket(), Key="k", ResponseContentType="image/png",
                        ResponseCacheControl="max-age=5")
    equal(r["ContentType"], "image/png", "ContentType")
    equal(r.get("CacheControl"), "max-age=5", "CacheControl")


@case("objects/delete-idempotent", "DeleteObject answers 204, also for a key that is gone")
def delete_idempotent(c):
    c.put("k", b"x")
    equal(status(c.s3.delete_object(Bucket=c.bucket(), Key="k")), 204, "first delete")
    equal(status(c.s3.delete_object(Bucket=c.bucket(), Key="k")), 204, "second delete")
    expect_error(404, "NoSuchKey", c.get, "k")


@case("objects/delete-objects", "DeleteObjects (Content-MD5, as boto3 sends it) deletes each key")
def delete_objects(c):
    for k in ("a", "b c", "d/é"):
        c.put(k, b"x")
    r = c.s3.delete_objects(Bucket=c.bucket(), Delete={"Objects": [
        {"Key": "a"}, {"Key": "b c"}, {"Key": "d/é"}]})
    equal(sorted(d["Key"] for d in r.get("Deleted", [])), ["a", "b c", "d/é"], "Deleted")
    equal(c.s3.list_objects_v2(Bucket=c.bucket()).get("KeyCount"), 0, "KeyCount after")


@case("objects/delete-objects-quiet", "DeleteObjects with Quiet reports no deletions")
def delete_objects_quiet(c):
    c.put("a", b"x")
    r = c.s3.delete_objects(Bucket=c.bucket(), Delete={"Objects": [{"Key": "a"}], "Quiet": True})
    equal(r.get("Deleted", []), [], "Deleted")


@case("objects/upload-download-fileobj", "upload_fileobj / download_fileobj round trip")
def upload_download_fileobj(c):
    body = data(200_000)
    c.s3.upload_fileobj(io.BytesIO(body), c.bucket(), "f")
    out = io.BytesIO()
    c.s3.download_fileobj(c.bucket(), "f", out)
    equal(out.getvalue(), body, "body")


@case("objects/range", "Range='bytes=10-19' answers those bytes and ContentRange")
def ranged_get(c):
    body = data(1000)
    c.put("k", body)
    r = c.s3.get_object(Bucket=c.bucket(), Key="k", Range="bytes=10-19")
    equal(r["Body"].read(), body[10:20], "body")
    equal(r["ContentRange"], "bytes 10-19/1000", "ContentRange")
    equal(status(r), 206, "status")


@case("objects/range-suffix", "Range='bytes=-5' answers the last five bytes")
def ranged_suffix(c):
    body = data(1000)
    c.put("k", body)
    equal(c.get("k", Range="bytes=-5"), body[-5:], "body")


@case("objects/range-unsatisfiable", "A range past the end: 416 InvalidRange")
def range_unsatisfiable(c):
    c.put("k", data(10))
    expect_error(416, "InvalidRange", c.get, "k", Range="bytes=10-20")


@case("objects/bad-content-md5", "ContentMD5 that does not match the body: 400 BadDigest")
def bad_content_md5(c):
    c.bucket()
    expect_error(400, "BadDigest", c.put, "k", b"hello", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")


KEYS = {
    "space": "with space",
    "plus": "plus+sign",
    "percent": "50%off",
    "unicode": "ünï/日本語",
    "question-hash": "q?x#y",
    "ampersand-equals": "a=1&b=2",
    "tilde-star": "t~s*",
    "xml-special": "x&y<z>'\"",
}


def _key_case(slug, key):
    @case("keys/" + slug, "A key like %r is stored, read and listed under that name" % key)
    def key_round_trip(c):
        c.put(key, key.encode("utf-8"))
        equal(c.get(key), key.encode("utf-8"), "body")
        listed = [o["Key"] for o in c.s3.list_objects_v2(Bucket=c.bucket()).get("Contents", [])]
        equal(listed, [key], "listing")
        check(c.s3.delete_object(Bucket=c.bucket(), Key=key), "delete")

    return key_round_trip


for _slug, _key in KEYS.items():
    _key_case(_slug, _key)
