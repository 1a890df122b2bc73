"""Additional checksums with boto3 1.26 (ChecksumAlgorithm= on PUT, ChecksumMode on HEAD/GET,
get_object_attributes)."""

import base64
import hashlib
import zlib

from conformance_kit import case, equal, expect_error, headers


def crc32(body):
    return base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()


@case("checksums/put-crc32", "ChecksumAlgorithm=CRC32 on PUT; HEAD ChecksumMode=ENABLED returns it")
def put_crc32(c):
    body = b"checksummed " * 100
    r = c.put("k", body, ChecksumAlgorithm="CRC32")
    equal(r.get("ChecksumCRC32"), crc32(body), "PUT ChecksumCRC32")
    h = c.s3.head_object(Bucket=c.bucket(), Key="k", ChecksumMode="ENABLED")
    equal(h.get("ChecksumCRC32"), crc32(body), "HEAD ChecksumCRC32")


@case("checksums/put-sha256", "ChecksumAlgorithm=SHA256 on PUT; GET ChecksumMode=ENABLED returns it")
def put_sha256(c):
    body = b"sha " * 1000
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    c.put("k", body, ChecksumAlgorithm="SHA256")
    r = c.s3.get_object(Bucket=c.bucket(), Key="k", ChecksumMode="ENABLED")
    equal(r["Body"].read(), body, "body")
    equal(r.get("ChecksumSHA256"), digest, "ChecksumSHA256")


@case("checksums/wrong-crc32", "A wrong ChecksumCRC32 value: 400 BadDigest")
def wrong_crc32(c):
    c.bucket()
    expect_error(400, "BadDigest", c.put, "k", b"body", ChecksumCRC32=crc32(b"other"))


@case("checksums/object-attributes", "get_object_attributes answers ETag and ObjectSize")
def object_attributes(c):
    etag = c.put("k", b"x" * 1234)["ETag"]
    r = c.s3.get_object_attributes(Bucket=c.bucket(), Key="k",
                                   ObjectAttributes=["ETag", "ObjectSize"])
    equal(r.get("ObjectSize"), 1234, "ObjectSize")
    equal('"%s"' % r.get("ETag"), etag, "ETag")


@case("checksums/no-checksum-unless-asked", "Without ChecksumMode, GET returns no checksum header")
def no_checksum_unless_asked(c):
    c.put("k", b"abc", ChecksumAlgorithm="CRC32")
    r = c.s3.get_object(Bucket=c.bucket(), Key="k")
    equal(headers(r).get("x-amz-checksum-crc32"), None, "x-amz-checksum-crc32")
