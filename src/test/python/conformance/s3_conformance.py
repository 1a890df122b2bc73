#!/usr/bin/python3
"""The boto3 half of the differential conformance suite (issue 16).

Each case is one small S3 behaviour, checked with Debian's boto3 1.26 / botocore 1.29 against one
endpoint (a backend directly, or the gateway in front of it). ConformanceSuiteTest runs this script
once per target and compares the outcomes; run it by hand against any endpoint:

    BOTO_DISABLE_CRT=true env -u AWS_CA_BUNDLE /usr/bin/python3 s3_conformance.py \
        --endpoint http://127.0.0.1:8080 --access-key K --secret-key S --out results.json

Adding a case: in a cases_*.py module (imported below), a function decorated with
@case("category/behaviour", "what S3 does"), taking the context `c`; it passes when it returns
and fails when it raises.
"""

import argparse
import json
import re
import time

from conformance_kit import CASES, RETRIED, Context

# Each module registers its cases when imported.
import cases_objects  # noqa: F401,E402
import cases_listing  # noqa: F401,E402
import cases_multipart  # noqa: F401,E402
import cases_copy  # noqa: F401,E402
import cases_conditional  # noqa: F401,E402
import cases_presigned  # noqa: F401,E402
import cases_buckets  # noqa: F401,E402
import cases_checksums  # noqa: F401,E402

def run(args):
    results = []
    wanted = set(args.capabilities.split(",")) if args.capabilities else set()
    only = re.compile(args.only) if args.only else None
    for c in CASES:
        if only and not only.search(c["name"]):
            continue
        if not c["requires"] <= wanted:
            results.append({"name": c["name"], "status": "NOT_APPLICABLE", "detail": ""})
            continue
        start = time.monotonic()
        try:
            c["fn"](Context(args, c["name"]))
            outcome = {"status": "PASSED", "detail": ""}
        except Exception as e:  # a case fails on anything it raises
            detail = ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")
            outcome = {"status": "FAILED", "detail": detail[:400]}
        outcome["name"] = c["name"]
        outcome["millis"] = int((time.monotonic() - start) * 1000)
        results.append(outcome)
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint")
    p.add_argument("--access-key")
    p.add_argument("--secret-key")
    p.add_argument("--bucket-prefix", default="cp")
    p.add_argument("--capabilities", default="")
    p.add_argument("--only", help="run only cases whose name matches this regex")
    p.add_argument("--out")
    p.add_argument("--list", action="store_true", help="print every case's name and exit")
    args = p.parse_args()
    if args.list:
        for c in CASES:
            print(c["name"])
        return
    results = run(args)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"cases": results, "retried": RETRIED["count"]}, f, indent=1)
    passed = sum(1 for r in results if r["status"] == "PASSED")
    print("%d of %d boto3 cases passed on %s" % (passed, len(results), args.endpoint))


if __name__ == "__main__":
    main()
