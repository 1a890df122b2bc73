"""Checksums through the gateway with Debian's boto3 (1.26, botocore 1.29).

Run by ChecksumClientsTest: python3 boto3_checksums.py ENDPOINT ACCESS_KEY SECRET_KEY.
Prints BOTO-CHECKSUMS-OK when every check passed; any failed assert exits non-zero.
"""
import base64
import hashlib
import os
import sys
import zlib

import boto3
import botocore.exceptions

endpoint, access_key, secret_key = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access_key,
                  aws_secret_access_key=secret_key, region_name="us-east-1")
bucket = "boto-checksums"
s3.create_bucket(Bucket=bucket)


def b64(raw):
    return base64.b64encode(raw).decode()


def crc32(data):
    return b64(zlib.crc32(data).to_bytes(4, "big"))


def sha256(data):
    return b64(hashlib.sha256(data).digest())


# 1. boto3's defaults: Content-MD5, no x-amz-checksum-*; nothing to show back.
sent = []
s3.meta.events.register("before-send.s3.PutObject",
                        lambda request, **kw: sent.append(dict(request.headers)))
data = os.urandom(300_000)
s3.put_object(Bucket=bucket, Key="default", Body=data)
assert not any(h.lower().startswith("x-amz-checksum-") for h in sent[-1]), sent[-1]
got = s3.get_object(Bucket=bucket, Key="default", ChecksumMode="ENABLED")
assert got["Body"].read() == data
assert "ChecksumCRC32" not in got and "ChecksumSHA256" not in got, got.keys()

# 2. An explicit algorithm: botocore sends the header; GET validates the body against it.
for algorithm, expected in (("CRC32", crc32(data)), ("SHA256", sha256(data)),
                            ("SHA1", b64(hashlib.sha1(data).digest()))):
    put = s3.put_object(Bucket=bucket, Key="alg-" + algorithm, Body=data,
                        ChecksumAlgorithm=algorithm)
    assert put["Checksum" + algorithm] == expected, put
    got = s3.get_object(Bucket=bucket, Key="alg-" + algorithm, ChecksumMode="ENABLED")
    assert got["Body"].read() == data  # botocore raises FlexibleChecksumError on a mismatch
    assert got["Checksum" + algorithm] == expected, got
    head = s3.head_object(Bucket=bucket, Key="alg-" + algorithm, ChecksumMode="ENABLED")
    assert head["Checksum" + algorithm] == expected, head

# 3. A wrong checksum is refused and nothing is stored.
try:
    s3.put_object(Bucket=bucket, Key="wrong", Body=data, ChecksumSHA256=sha256(b"other"))
    raise AssertionError("a wrong checksum was accepted")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "BadDigest", e.response
try:
    s3.head_object(Bucket=bucket, Key="wrong")
    raise AssertionError("the refused object exists")
except botocore.exceptions.ClientError as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, e.response

# 4. Multipart, COMPOSITE SHA256 (boto3's parameters) and FULL_OBJECT CRC32 (botocore 1.29 has no
#    ChecksumType parameter: the header is added with an event hook).
def add_type(request, **kw):
    request.headers["x-amz-checksum-type"] = "FULL_OBJECT"


parts = [os.urandom(5 * 1024 * 1024), os.urandom(1000)]
for algorithm, full in (("SHA256", False), ("CRC32", True)):
    key = "mp-" + algorithm
    if full:
        s3.meta.events.register("before-sign.s3.CreateMultipartUpload", add_type)
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm=algorithm)
    if full:
        s3.meta.events.unregister("before-sign.s3.CreateMultipartUpload", add_type)
    completed = []
    for n, part in enumerate(parts, start=1):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=n,
                           Body=part, ChecksumAlgorithm=algorithm)
        expected = sha256(part) if algorithm == "SHA256" else crc32(part)
        assert r["Checksum" + algorithm] == expected, r
        completed.append({"PartNumber": n, "ETag": r["ETag"],
                          "Checksum" + algorithm: r["Checksum" + algorithm]})
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload["UploadId"])
    assert [p["Checksum" + algorithm] for p in listed["Parts"]] == \
        [c["Checksum" + algorithm] for c in completed], listed
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": completed})
    if full:
        expected = crc32(parts[0] + parts[1])
    else:
        expected = b64(hashlib.sha256(b"".join(base64.b64decode(c["ChecksumSHA256"])
                                               for c in completed)).digest()) + "-2"
    assert done["Checksum" + algorithm] == expected, (done, expected)
    got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert got["Body"].read() == parts[0] + parts[1]
    assert got["Checksum" + algorithm] == expected, got
    attributes = s3.get_object_attributes(Bucket=bucket, Key=key,
                                          ObjectAttributes=["Checksum", "ObjectParts",
                                                            "ObjectSize"])
    assert attributes["ObjectSize"] == len(parts[0]) + len(parts[1]), attributes
    assert attributes["ObjectParts"]["TotalPartsCount"] == 2, attributes
    assert [p["Size"] for p in attributes["ObjectParts"]["Parts"]] == [len(p) for p in parts]

print("BOTO-CHECKSUMS-OK")
