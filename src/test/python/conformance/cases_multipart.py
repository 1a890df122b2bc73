"""Multipart uploads with boto3: the transfer manager (multipart upload, ranged download),
and the low-level operations."""

import hashlib
import io

from boto3.s3.transfer import TransferConfig

from conformance_kit import case, check, data, equal, expect_error

MIB = 1024 * 1024
MULTIPART = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB,
                           max_concurrency=2)


@case("multipart/transfer-upload", "upload_fileobj of 11 MiB in 5 MiB parts reads back whole")
def transfer_upload(c):
    body = data(11 * MIB)
    c.s3.upload_fileobj(io.BytesIO(body), c.bucket(), "big", Config=MULTIPART)
    equal(c.get("big"), body, "body")


@case("multipart/transfer-download", "download_fileobj in 5 MiB ranged GETs assembles the object")
def transfer_download(c):
    body = data(11 * MIB)
    c.put("big", body)
    out = io.BytesIO()
    c.s3.download_fileobj(c.bucket(), "big", out, Config=MULTIPART)
    equal(out.getvalue(), body, "body")


@case("multipart/etag-part-count", "A 3-part object's ETag ends in '-3'")
def etag_part_count(c):
    c.s3.upload_fileobj(io.BytesIO(data(11 * MIB)), c.bucket(), "big", Config=MULTIPART)
    etag = c.s3.head_object(Bucket=c.bucket(), Key="big")["ETag"]
    check(etag.endswith('-3"'), "ETag %s" % etag)


def start(c, key, **kw):
    return c.s3.create_multipart_upload(Bucket=c.bucket(), Key=key, **kw)["UploadId"]


def part(c, key, upload, number, body):
    return c.s3.upload_part(Bucket=c.bucket(), Key=key, UploadId=upload, PartNumber=number,
                            Body=body)["ETag"]


def complete(c, key, upload, parts):
    return c.s3.complete_multipart_upload(
        Bucket=c.bucket(), Key=key, UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in parts]})


@case("multipart/low-level", "Create, two UploadParts, Complete: the object is their concatenation")
def low_level(c):
    a, b = data(5 * MIB), data(1000)
    u = start(c, "k", ContentType="text/x-mp", Metadata={"m": "1"})
    ea = part(c, "k", u, 1, a)
    eb = part(c, "k", u, 2, b)
    complete(c, "k", u, [(1, ea), (2, eb)])
    equal(c.get("k"), a + b, "body")
    h = c.s3.head_object(Bucket=c.bucket(), Key="k")
    equal(h["ContentType"], "text/x-mp", "ContentType")
    equal(h["Metadata"], {"m": "1"}, "Metadata")


@case("multipart/part-etag", "UploadPart's ETag is the part's quoted MD5")
def part_etag(c):
    body = data(1234)
    u = start(c, "k")
    equal(part(c, "k", u, 1, body), '"%s"' % hashlib.md5(body).hexdigest(), "ETag")


@case("multipart/list-parts", "ListParts lists part numbers, sizes and the ETags UploadPart gave")
def list_parts(c):
    u = start(c, "k")
    e1 = part(c, "k", u, 1, data(5 * MIB))
    e2 = part(c, "k", u, 2, data(10))
    r = c.s3.list_parts(Bucket=c.bucket(), Key="k", UploadId=u)
    equal([(p["PartNumber"], p["Size"], p["ETag"]) for p in r["Parts"]],
          [(1, 5 * MIB, e1), (2, 10, e2)], "parts")


@case("multipart/list-uploads", "ListMultipartUploads lists the upload in progress")
def list_uploads(c):
    u = start(c, "pending")
    r = c.s3.list_multipart_uploads(Bucket=c.bucket())
    equal([(x["Key"], x["UploadId"]) for x in r.get("Uploads", [])], [("pending", u)], "uploads")


@case("multipart/abort", "AbortMultipartUpload: the upload is gone, ListParts 404 NoSuchUpload")
def abort(c):
    u = start(c, "k")
    part(c, "k", u, 1, data(10))
    c.s3.abort_multipart_upload(Bucket=c.bucket(), Key="k", UploadId=u)
    expect_error(404, "NoSuchUpload", c.s3.list_parts, Bucket=c.bucket(), Key="k", UploadId=u)
    check(not c.s3.list_multipart_uploads(Bucket=c.bucket()).get("Uploads"), "upload listed")


@case("multipart/invalid-part", "Complete with an ETag no part has: 400 InvalidPart")
def invalid_part(c):
    u = start(c, "k")
    part(c, "k", u, 1, data(10))
    expect_error(400, "InvalidPart", complete, c, "k", u, [(1, '"%s"' % ("a" * 32))])


@case("multipart/entity-too-small", "A non-last part under 5 MiB: 400 EntityTooSmall on Complete")
def entity_too_small(c):
    u = start(c, "k")
    e1 = part(c, "k", u, 1, data(100))
    e2 = part(c, "k", u, 2, data(100))
    expect_error(400, "EntityTooSmall", complete, c, "k", u, [(1, e1), (2, e2)])


@case("multipart/upload-part-copy", "UploadPartCopy with CopySourceRange copies that range")
def upload_part_copy(c):
    src = data(20000)
    c.put("src", src)
    u = start(c, "k")
    r = c.s3.upload_part_copy(Bucket=c.bucket(), Key="k", UploadId=u, PartNumber=1,
                              CopySource={"Bucket": c.bucket(), "Key": "src"},
                              CopySourceRange="bytes=100-199")
    complete(c, "k", u, [(1, r["CopyPartResult"]["ETag"])])
    equal(c.get("k"), src[100:200], "body")


@case("multipart/managed-copy", "The transfer manager's copy() of a 11 MiB object (multipart copy)")
def managed_copy(c):
    body = data(11 * MIB)
    c.put("src", body)
    c.s3.copy({"Bucket": c.bucket(), "Key": "src"}, c.bucket(), "dst", Config=MULTIPART)
    equal(c.get("dst"), body, "body")
