"""Presigned URLs made by botocore's s3v4 presigner (and a presigned POST form), used with urllib."""

import datetime
import types
import urllib.error
import urllib.request
import uuid

import botocore.auth

from conformance_kit import case, check, data, equal


def fetch(url, method="GET", body=None, headers=None):
    """(status, headers, body) of a plain HTTP request; errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def error_code(body):
    text = body.decode("utf-8", "replace")
    start = text.find("<Code>")
    return text[start + 6:text.find("</Code>")] if start >= 0 else None


@case("presigned/get", "A presigned GET URL reads the object")
def get(c):
    body = data(10_000)
    c.put("k", body)
    url = c.s3.generate_presigned_url("get_object", Params={"Bucket": c.bucket(), "Key": "k"},
                                      ExpiresIn=600)
    code, _, got = fetch(url)
    equal(code, 200, "status")
    equal(got, body, "body")


@case("presigned/put", "A presigned PUT URL stores the body")
def put(c):
    c.bucket()
    url = c.s3.generate_presigned_url("put_object", Params={"Bucket": c.bucket(), "Key": "up"},
                                      ExpiresIn=600)
    body = data(7000)
    code, _, _ = fetch(url, "PUT", body)
    equal(code, 200, "status")
    equal(c.get("up"), body, "body")


@case("presigned/special-key", "A presigned GET of a key with spaces and unicode")
def special_key(c):
    key = "dir/ä b+c"
    c.put(key, b"x")
    url = c.s3.generate_presigned_url("get_object", Params={"Bucket": c.bucket(), "Key": key})
    code, _, got = fetch(url)
    equal((code, got), (200, b"x"), "answer")


@case("presigned/response-disposition",
      "A presigned GET with ResponseContentDisposition answers that header")
def response_disposition(c):
    c.put("k", b"x")
    url = c.s3.generate_presigned_url("get_object", Params={
        "Bucket": c.bucket(), "Key": "k", "ResponseContentDisposition": "attachment; filename=a"})
    code, hdrs, _ = fetch(url)
    equal(code, 200, "status")
    equal({k.lower(): v for k, v in hdrs.items()}.get("content-disposition"),
          "attachment; filename=a", "Content-Disposition")


@case("presigned/expired", "A presigned URL signed two hours ago for 60 s: 403 AccessDenied")
def expired(c):
    c.put("k", b"x")
    real = datetime.datetime

    class TwoHoursAgo(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() - datetime.timedelta(hours=2)

    saved = botocore.auth.datetime
    botocore.auth.datetime = types.SimpleNamespace(datetime=TwoHoursAgo,
                                                   timedelta=datetime.timedelta)
    try:
        url = c.s3.generate_presigned_url("get_object",
                                          Params={"Bucket": c.bucket(), "Key": "k"}, ExpiresIn=60)
    finally:
        botocore.auth.datetime = saved
    code, _, body = fetch(url)
    equal((code, error_code(body)), (403, "AccessDenied"), "answer")


@case("presigned/wrong-secret", "A URL presigned with a wrong secret: 403 SignatureDoesNotMatch")
def wrong_secret(c):
    c.put("k", b"x")
    other = c.new_client(secret_key="not-the-secret-0000")
    url = other.generate_presigned_url("get_object", Params={"Bucket": c.bucket(), "Key": "k"})
    code, _, body = fetch(url)
    equal((code, error_code(body)), (403, "SignatureDoesNotMatch"), "answer")


@case("presigned/post-form", "A presigned POST form (browser upload) stores the file")
def post_form(c):
    c.bucket()
    post = c.s3.generate_presigned_post(c.bucket(), "form-upload", ExpiresIn=600)
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in post["fields"].items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                      % (boundary, name, value)).encode())
    parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
                  'Content-Type: application/octet-stream\r\n\r\n' % boundary).encode()
                 + b"posted" + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    code, _, body = fetch(post["url"], "POST", b"".join(parts),
                          {"Content-Type": "multipart/form-data; boundary=" + boundary})
    check(code in (200, 201, 204), "status %s: %r" % (code, body[:200]))
    equal(c.get("form-upload"), b"posted", "body")
