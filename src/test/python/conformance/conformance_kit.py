"""The toolkit of the boto3 conformance cases: the case registry, the context a case gets, and
small checks. Case modules (cases_*.py) import it; s3_conformance.py runs them."""

import re

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

CASES = []


def case(name, behaviour, requires=()):
    """Registers a case: name is category/behaviour; requires lists backend capabilities."""

    def register(fn):
        if not re.fullmatch(r"[a-z0-9-]+/[a-z0-9.-]+", name):
            raise ValueError("case names are category/behaviour in [a-z0-9-]: " + name)
        full = "boto3:" + name
        if any(c["name"] == full for c in CASES):
            raise ValueError("two cases are named " + full)
        CASES.append({"name": full, "behaviour": behaviour, "requires": set(requires), "fn": fn})
        return fn

    return register


class Context:
    """What a case has at hand: clients, a bucket of its own, helpers."""

    counter = 0
    shared = {}

    def __init__(self, args, case_name):
        self.args = args
        self.endpoint = args.endpoint
        self.case_name = case_name
        # One client for every case (creating one costs ~50 ms); cases that register event
        # hooks take their own from new_client().
        if "s3" not in Context.shared:
            Context.shared["s3"] = client(args)
        self.s3 = Context.shared["s3"]
        self._bucket = None

    def new_client(self, **config):
        """A client of this case's own (for event hooks, other settings or credentials)."""
        return client(self.args, **config)

    def new_bucket_name(self):
        Context.counter += 1
        slug = re.sub(r"[^a-z0-9]+", "-", self.case_name.split(":", 1)[1].lower())
        name = ("%s%04d-%s" % (self.args.bucket_prefix, Context.counter, slug))[:63]
        return name.rstrip("-")

    def bucket(self):
        if self._bucket is None:
            self._bucket = self.new_bucket_name()
            self.s3.create_bucket(Bucket=self._bucket)
        return self._bucket

    def create_bucket(self):
        name = self.new_bucket_name()
        self.s3.create_bucket(Bucket=name)
        return name

    def put(self, key, body, bucket=None, **kwargs):
        return self.s3.put_object(Bucket=bucket or self.bucket(), Key=key, Body=body, **kwargs)

    def get(self, key, bucket=None, **kwargs):
        return self.s3.get_object(Bucket=bucket or self.bucket(), Key=key, **kwargs)["Body"].read()


RETRIED = {"count": 0}


def retry_on_503(response=None, attempts=1, **kwargs):
    """A 503 is S3's "retry this" (e.g. the gateway reused a backend connection S3Proxy had just
    closed): send the request again, up to 3 attempts as the SDKs' standard retry mode does.
    Anything else is the first answer."""
    if response is not None and attempts < 3 and response[0] is not None:
        if response[0].status_code == 503:
            RETRIED["count"] += 1
            return 0
    return None


def client(args, access_key=None, secret_key=None, **config):
    settings = dict(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        retries={"total_max_attempts": 1},
        connect_timeout=10,
        read_timeout=60,
    )
    settings.update(config)
    s3 = boto3.session.Session().client(
        "s3",
        endpoint_url=args.endpoint,
        aws_access_key_id=access_key or args.access_key,
        aws_secret_access_key=secret_key or args.secret_key,
        region_name="us-east-1",
        config=Config(**settings),
    )
    s3.meta.events.register("needs-retry.s3", retry_on_503)
    return s3


def expect_error(status, code, fn, *a, **kw):
    """Runs fn and checks it fails with this HTTP status and S3 error code (None: any code)."""
    try:
        fn(*a, **kw)
    except ClientError as e:
        got_status = e.response["ResponseMetadata"]["HTTPStatusCode"]
        got_code = e.response["Error"].get("Code")
        if got_status != status or (code is not None and got_code != code):
            raise AssertionError("expected %s %s, got %s %s" % (status, code, got_status, got_code))
        return e
    raise AssertionError("expected %s %s, but the call succeeded" % (status, code))


def add_header(s3, operation, name, value):
    """Sends header name: value on every `operation` call of client s3 (botocore 1.29 lacks
    parameters such as IfNoneMatch on PutObject)."""

    def hook(request, **kwargs):
        request.headers[name] = value

    s3.meta.events.register("before-sign.s3." + operation, hook)
    return s3


def headers(response):
    """The HTTP headers of a boto3 response (names in lower case)."""
    return response["ResponseMetadata"]["HTTPHeaders"]


def status(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def equal(actual, expected, what):
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def data(size):
    """Deterministic bytes of a given size (a 251-byte pattern, offset by the size, repeated)."""
    pattern = bytes((i * 31 + size) % 251 for i in range(251))
    return (pattern * (size // 251 + 1))[:size]


