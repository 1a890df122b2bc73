"""Buckets and authentication errors with boto3."""

from conformance_kit import case, check, equal, expect_error, status


@case("buckets/create-head-delete", "create_bucket, head_bucket 200, delete_bucket 204, then 404")
def create_head_delete(c):
    name = c.new_bucket_name()
    c.s3.create_bucket(Bucket=name)
    equal(status(c.s3.head_bucket(Bucket=name)), 200, "head")
    equal(status(c.s3.delete_bucket(Bucket=name)), 204, "delete")
    expect_error(404, "404", c.s3.head_bucket, Bucket=name)


@case("buckets/already-owned", "create_bucket of an owned bucket: BucketAlreadyOwnedByYou or 200")
def already_owned(c):
    try:
        c.s3.create_bucket(Bucket=c.bucket())
    except Exception:  # noqa: BLE001 - the other documented answer
        expect_error(409, "BucketAlreadyOwnedByYou", c.s3.create_bucket, Bucket=c.bucket())


@case("buckets/not-empty", "delete_bucket of a bucket with an object: 409 BucketNotEmpty")
def not_empty(c):
    c.put("k", b"x")
    expect_error(409, "BucketNotEmpty", c.s3.delete_bucket, Bucket=c.bucket())


@case("buckets/delete-missing", "delete_bucket of a missing bucket: 404 NoSuchBucket")
def delete_missing(c):
    expect_error(404, "NoSuchBucket", c.s3.delete_bucket, Bucket=c.new_bucket_name())


@case("buckets/empty-then-delete", "delete every object, then delete_bucket succeeds")
def empty_then_delete(c):
    for k in ("a", "b/c"):
        c.put(k, b"x")
    c.s3.delete_objects(Bucket=c.bucket(), Delete={"Objects": [{"Key": "a"}, {"Key": "b/c"}]})
    equal(status(c.s3.delete_bucket(Bucket=c.bucket())), 204, "delete")


@case("buckets/delete-after-abort", "After an aborted multipart upload, delete_bucket succeeds")
def delete_after_abort(c):
    u = c.s3.create_multipart_upload(Bucket=c.bucket(), Key="k")["UploadId"]
    c.s3.upload_part(Bucket=c.bucket(), Key="k", UploadId=u, PartNumber=1, Body=b"x" * 10)
    c.s3.abort_multipart_upload(Bucket=c.bucket(), Key="k", UploadId=u)
    equal(status(c.s3.delete_bucket(Bucket=c.bucket())), 204, "delete")


@case("buckets/list", "list_buckets lists a new bucket with a CreationDate, and the Owner")
def list_buckets(c):
    name = c.bucket()
    r = c.s3.list_buckets()
    found = [b for b in r["Buckets"] if b["Name"] == name]
    check(found and found[0].get("CreationDate"), "%s not listed with a date" % name)
    check("Owner" in r, "no Owner")


@case("buckets/location", "get_bucket_location answers (None for us-east-1)")
def location(c):
    r = c.s3.get_bucket_location(Bucket=c.bucket())
    check(r.get("LocationConstraint") in (None, "", "us-east-1"), "LocationConstraint %r" % r)


@case("auth/wrong-secret", "A wrong secret key: 403 SignatureDoesNotMatch")
def wrong_secret(c):
    c.bucket()
    other = c.new_client(secret_key="not-the-secret-0000")
    expect_error(403, "SignatureDoesNotMatch", other.list_objects_v2, Bucket=c.bucket())


@case("auth/unknown-key", "An unknown access key: 403 InvalidAccessKeyId")
def unknown_key(c):
    c.bucket()
    other = c.new_client(access_key="AKIANOSUCHKEY0000000", secret_key="whatever-secret-0000")
    expect_error(403, "InvalidAccessKeyId", other.list_objects_v2, Bucket=c.bucket())


@case("auth/anonymous", "An unsigned request (botocore UNSIGNED): 403 AccessDenied")
def anonymous(c):
    from botocore import UNSIGNED

    c.put("k", b"x")
    other = c.new_client(signature_version=UNSIGNED)
    expect_error(403, "AccessDenied", other.get_object, Bucket=c.bucket(), Key="k")


@case("subresources/object-tagging", "put/get_object_tagging round trip", requires=("TAGGING",))
def object_tagging(c):
    c.put("k", b"x")
    c.s3.put_object_tagging(Bucket=c.bucket(), Key="k",
                            Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    equal(c.s3.get_object_tagging(Bucket=c.bucket(), Key="k")["TagSet"],
          [{"Key": "a", "Value": "1"}], "TagSet")


@case("subresources/bucket-versioning", "put/get_bucket_versioning", requires=("VERSIONING",))
def bucket_versioning(c):
    c.s3.put_bucket_versioning(Bucket=c.bucket(), VersioningConfiguration={"Status": "Enabled"})
    equal(c.s3.get_bucket_versioning(Bucket=c.bucket()).get("Status"), "Enabled", "Status")


@case("subresources/get-bucket-acl", "get_bucket_acl answers the Owner and Grants")
def get_bucket_acl(c):
    r = c.s3.get_bucket_acl(Bucket=c.bucket())
    check("Owner" in r and "Grants" in r, "answer %r" % r)
