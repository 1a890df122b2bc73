"""Objects: PutObject, GetObject, HeadObject, DeleteObject."""

from conformance_kit import case, data, equal, expect_error


@case("objects/put-get-round-trip", "GetObject returns exactly the bytes PutObject stored")
def put_get_round_trip(c):
    body = data(100_000)
    c.put("k", body)
    equal(c.get("k"), body, "body")


@case("objects/get-missing-key", "GetObject of a key that does not exist: 404 NoSuchKey")
def get_missing_key(c):
    expect_error(404, "NoSuchKey", c.get, "missing")
