"""Conditional reads (boto3 parameters) and conditional writes (headers added by event hooks:
botocore 1.29 predates IfNoneMatch/IfMatch on PutObject and CompleteMultipartUpload)."""

import datetime

from conformance_kit import add_header, case, data, equal, expect_error

PAST = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
FUTURE = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)
WRONG = '"%s"' % ("0" * 32)


@case("conditional-reads/if-match-true", "GET with IfMatch of its ETag: 200")
def if_match_true(c):
    etag = c.put("k", b"x")["ETag"]
    equal(c.get("k", IfMatch=etag), b"x", "body")


@case("conditional-reads/if-match-false", "GET with IfMatch of another ETag: 412")
def if_match_false(c):
    c.put("k", b"x")
    expect_error(412, "PreconditionFailed", c.get, "k", IfMatch=WRONG)


@case("conditional-reads/if-none-match-own", "GET with IfNoneMatch of its ETag: 304")
def if_none_match_own(c):
    etag = c.put("k", b"x")["ETag"]
    expect_error(304, "304", c.get, "k", IfNoneMatch=etag)


@case("conditional-reads/if-modified-since-future", "GET with IfModifiedSince later: 304")
def if_modified_since_future(c):
    c.put("k", b"x")
    expect_error(304, "304", c.get, "k", IfModifiedSince=FUTURE)


@case("conditional-reads/if-unmodified-since-past", "GET with IfUnmodifiedSince past: 412")
def if_unmodified_since_past(c):
    c.put("k", b"x")
    expect_error(412, "PreconditionFailed", c.get, "k", IfUnmodifiedSince=PAST)


@case("conditional-reads/head-if-none-match", "HEAD with IfNoneMatch of its ETag: 304")
def head_if_none_match(c):
    etag = c.put("k", b"x")["ETag"]
    expect_error(304, "304", c.s3.head_object, Bucket=c.bucket(), Key="k", IfNoneMatch=etag)


@case("conditional-reads/head-if-match-false", "HEAD with IfMatch of another ETag: 412")
def head_if_match_false(c):
    c.put("k", b"x")
    expect_error(412, "412", c.s3.head_object, Bucket=c.bucket(), Key="k", IfMatch=WRONG)


@case("conditional-writes/put-if-none-match-existing",
      "PUT with If-None-Match: * over an existing key: 412, object kept")
def put_if_none_match_existing(c):
    c.put("k", b"original")
    s3 = add_header(c.new_client(), "PutObject", "If-None-Match", "*")
    expect_error(412, "PreconditionFailed", s3.put_object, Bucket=c.bucket(), Key="k", Body=b"new")
    equal(c.get("k"), b"original", "body")


@case("conditional-writes/put-if-none-match-new", "PUT with If-None-Match: * of a new key: 200")
def put_if_none_match_new(c):
    c.bucket()
    s3 = add_header(c.new_client(), "PutObject", "If-None-Match", "*")
    s3.put_object(Bucket=c.bucket(), Key="k", Body=b"new")
    equal(c.get("k"), b"new", "body")


@case("conditional-writes/put-if-match-stale", "PUT with If-Match of another ETag: 412")
def put_if_match_stale(c):
    c.put("k", b"v1")
    s3 = add_header(c.new_client(), "PutObject", "If-Match", WRONG)
    expect_error(412, "PreconditionFailed", s3.put_object, Bucket=c.bucket(), Key="k", Body=b"v2")
    equal(c.get("k"), b"v1", "body")


@case("conditional-writes/put-if-match-current", "PUT with If-Match of the current ETag: 200")
def put_if_match_current(c):
    etag = c.put("k", b"v1")["ETag"]
    s3 = add_header(c.new_client(), "PutObject", "If-Match", etag)
    s3.put_object(Bucket=c.bucket(), Key="k", Body=b"v2")
    equal(c.get("k"), b"v2", "body")


@case("conditional-writes/complete-if-none-match-existing",
      "CompleteMultipartUpload with If-None-Match: * over an existing key: 412")
def complete_if_none_match_existing(c):
    c.put("k", b"original")
    s3 = add_header(c.new_client(), "CompleteMultipartUpload", "If-None-Match", "*")
    u = c.s3.create_multipart_upload(Bucket=c.bucket(), Key="k")["UploadId"]
    e = c.s3.upload_part(Bucket=c.bucket(), Key="k", UploadId=u, PartNumber=1,
                         Body=data(10))["ETag"]
    expect_error(412, "PreconditionFailed", s3.complete_multipart_upload, Bucket=c.bucket(),
                 Key="k", UploadId=u, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e}]})
    equal(c.get("k"), b"original", "body")
