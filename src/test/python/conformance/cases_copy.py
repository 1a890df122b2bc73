"""CopyObject with boto3."""

from conformance_kit import case, data, equal, expect_error


@case("copy/basic", "copy_object copies the bytes; CopyObjectResult carries the source's ETag")
def basic(c):
    body = data(5000)
    etag = c.put("src", body)["ETag"]
    r = c.s3.copy_object(Bucket=c.bucket(), Key="dst",
                         CopySource={"Bucket": c.bucket(), "Key": "src"})
    equal(r["CopyObjectResult"]["ETag"], etag, "ETag")
    equal(c.get("dst"), body, "body")


@case("copy/special-key", "CopySource with a key of spaces, '+' and unicode is found")
def special_key(c):
    key = "a b+c/ü.txt"
    c.put(key, b"x")
    c.s3.copy_object(Bucket=c.bucket(), Key="dst", CopySource={"Bucket": c.bucket(), "Key": key})
    equal(c.get("dst"), b"x", "body")


@case("copy/string-copy-source", "CopySource as the string 'bucket/key' works")
def string_copy_source(c):
    c.put("src", b"x")
    c.s3.copy_object(Bucket=c.bucket(), Key="dst", CopySource=c.bucket() + "/src")
    equal(c.get("dst"), b"x", "body")


@case("copy/metadata-replace", "MetadataDirective=REPLACE stores the new metadata only")
def metadata_replace(c):
    c.put("src", b"x", Metadata={"old": "1"})
    c.s3.copy_object(Bucket=c.bucket(), Key="dst", CopySource={"Bucket": c.bucket(), "Key": "src"},
                     MetadataDirective="REPLACE", Metadata={"new": "2"}, ContentType="text/x-new")
    h = c.s3.head_object(Bucket=c.bucket(), Key="dst")
    equal(h["Metadata"], {"new": "2"}, "Metadata")
    equal(h["ContentType"], "text/x-new", "ContentType")


@case("copy/metadata-copy", "The default directive COPY keeps the source's metadata")
def metadata_copy(c):
    c.put("src", b"x", Metadata={"old": "1"}, ContentType="text/x-old")
    c.s3.copy_object(Bucket=c.bucket(), Key="dst", CopySource={"Bucket": c.bucket(), "Key": "src"})
    h = c.s3.head_object(Bucket=c.bucket(), Key="dst")
    equal(h["Metadata"], {"old": "1"}, "Metadata")
    equal(h["ContentType"], "text/x-old", "ContentType")


@case("copy/source-if-match-wrong", "CopySourceIfMatch with another ETag: 412 PreconditionFailed")
def source_if_match_wrong(c):
    c.put("src", b"x")
    expect_error(412, "PreconditionFailed", c.s3.copy_object, Bucket=c.bucket(), Key="dst",
                 CopySource={"Bucket": c.bucket(), "Key": "src"},
                 CopySourceIfMatch='"%s"' % ("0" * 32))


@case("copy/source-if-none-match-own", "CopySourceIfNoneMatch with its own ETag: 412")
def source_if_none_match_own(c):
    etag = c.put("src", b"x")["ETag"]
    expect_error(412, "PreconditionFailed", c.s3.copy_object, Bucket=c.bucket(), Key="dst",
                 CopySource={"Bucket": c.bucket(), "Key": "src"}, CopySourceIfNoneMatch=etag)


@case("copy/missing-source", "Copying a missing key: 404 NoSuchKey")
def missing_source(c):
    c.bucket()
    expect_error(404, "NoSuchKey", c.s3.copy_object, Bucket=c.bucket(), Key="dst",
                 CopySource={"Bucket": c.bucket(), "Key": "nope"})


@case("copy/onto-itself", "Copying onto itself without changes: 400 InvalidRequest")
def onto_itself(c):
    c.put("k", b"x")
    expect_error(400, "InvalidRequest", c.s3.copy_object, Bucket=c.bucket(), Key="k",
                 CopySource={"Bucket": c.bucket(), "Key": "k"})


@case("copy/across-buckets", "copy_object into another bucket")
def across_buckets(c):
    body = data(999)
    c.put("src", body)
    other = c.create_bucket()
    c.s3.copy_object(Bucket=other, Key="dst", CopySource={"Bucket": c.bucket(), "Key": "src"})
    equal(c.get("dst", bucket=other), body, "body")
