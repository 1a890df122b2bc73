#!/usr/bin/env python3
"""Cross-language check of the v1 known-answer vectors with pyca/cryptography.

Re-implements the object format from docs/object-format.md (HKDF segment key, segment nonces,
DEK wrap and its associated data, the s3eg-etag MAC) and checks every inline vector in
src/test/resources/vectors/object-format-v1.txt. Not part of the Maven build; run by hand:

    python3 src/test/python/check_vectors.py
"""
import base64
import hashlib
import hmac
import pathlib
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "resources/vectors/object-format-v1.txt"
HEADER, TAG = 40, 16


def parse(text):
    vectors, current = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = vectors[line[1:-1]] = {}
            continue
        field, value = line.split("=", 1)
        current[field.strip()] = value.strip()
    return vectors


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def decrypt_body(v):
    body, dek = bytes.fromhex(v["body"]), bytes.fromhex(v["dek"])
    assert body[0] == HEADER
    salt, prefix = body[1:33], body[33:40]
    key = hkdf(dek, salt, bytes.fromhex(v["body-associated-data"]))
    assert key.hex() == v["segment-key"]
    aead = (AESGCM if v["algorithm"] == "AES256-GCM" else ChaCha20Poly1305)(key)
    segment = int(v["segment-size"]) + TAG
    plaintext, offset, index = b"", HEADER, 0
    while offset < len(body):
        end = segment if index == 0 else offset + segment
        last = end >= len(body)
        end = min(end, len(body))
        nonce = prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        plaintext += aead.decrypt(nonce, body[offset:end], None)
        offset, index = end, index + 1
    return body, dek, plaintext


def check(name, v):
    body, dek, plaintext = decrypt_body(v)
    assert plaintext.hex() == v["plaintext"], name

    alg, bucket = v["algorithm"].encode(), v["bucket"].encode()
    key = v["key"].encode("utf-8")
    wrap_ad = (b"s3eg/wrap" + bytes([1, len(alg)]) + alg
               + int(v["segment-size"]).to_bytes(4, "big") + body[:HEADER]
               + len(bucket).to_bytes(2, "big") + bucket + len(key).to_bytes(4, "big") + key)
    assert wrap_ad.hex() == v["wrap-associated-data"], name
    wrapped = base64.b64decode(v["meta.s3eg-dek"])
    kek = bytes.fromhex(v["kek"])
    assert AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], wrap_ad) == dek, name

    md5, length, mac = v["meta.s3eg-etag"].split(".")
    assert md5 == hashlib.md5(plaintext).hexdigest() and int(length) == len(plaintext), name
    mac_key = hkdf(dek, None, b"s3eg/v1/etag-mac")
    message = bytes([1]) + bytes.fromhex(md5) + int(length).to_bytes(8, "big")
    assert hmac.new(mac_key, message, hashlib.sha256).digest()[:16].hex() == mac, name
    assert base64.b64decode(v["meta.s3eg-hdr"]) == body[:HEADER], name


def main():
    vectors = parse(VECTORS.read_text(encoding="utf-8"))
    checked = 0
    for name, v in vectors.items():
        if "body" in v:
            check(name, v)
            checked += 1
    print(f"{checked} vectors verified independently")
    return 0 if checked else 1


if __name__ == "__main__":
    sys.exit(main())
