#!/usr/bin/env python3
"""Decrypt an object stored by s3-encryption-gateway without the gateway.

Written from docs/object-format.md and docs/key-management.md only (never from the Java sources),
as the proof that those two documents are enough to get data back. Needs Python 3 and the
`cryptography` package (Debian: python3-cryptography); nothing else, and no network. Only
compressed objects of the zstd codec (format version 2, `s3eg-cmp = zstd.…`) need a zstd decoder
as well: Python 3.14's `compression.zstd`, or the `zstandard` module (Debian: python3-zstandard).

Inputs: the object's stored bytes (as the backend holds them), its metadata, the bucket and key it
is stored under (they are part of the associated data, object-format.md §5), and the
key-encryption key: a password (with the salt, if one was configured), a keyring file and its
entry, or the embedded store's generated key file `gateway-kek.b64`. Multipart objects (format
versions 3 and 4) also need their part index (object-format.md §12.3); `--index-name` prints its
backend name.

    # metadata as `aws s3api head-object` prints it (straight from the backend, not the gateway)
    aws --endpoint-url $BACKEND s3api head-object --bucket B --key K > head.json
    aws --endpoint-url $BACKEND s3api get-object --bucket B --key K stored.bin
    recover.py --bucket B --key K --metadata head.json --body stored.bin \\
        --password-file pw.txt [--salt TEXT] --out plain.bin

    # an object of the embedded store (DATA_DIR/objects, trial mode)
    recover.py --embedded DATA_DIR --bucket B --key K --kek-file DATA_DIR/gateway-kek.b64 --out -

Everything is verified before the output is trusted: every segment's tag, the last-segment flag,
the trailer (authenticated ETag and size), a compressed object's frames and index, a multipart
object's index and every part's prefix. Output goes to a temporary file that is renamed only once
everything verified; with `--out -` plaintext goes to standard output as it verifies, and a
non-zero exit status means the output must be thrown away. Exit status: 0 verified, 1 the object
failed a check (tampered, truncated, wrong key, ...), 2 usage.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HEADER_SIZE = 40
TAG_SIZE = 16
PART_PREFIX_SIZE = 12
DEFAULT_PASSWORD_SALT = b"s3eg/password-kek/v1"
PBKDF2_ITERATIONS = 600_000
CHUNK = 1 << 20


class Refused(Exception):
    """The object failed a check: nothing it produced may be used."""


# ---------------------------------------------------------------- metadata (object-format.md §4)


def load_metadata(path):
    """The s3eg- entries from head-object JSON ({"Metadata": {...}}) or a plain {name: value}."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    entries = doc.get("Metadata", doc) if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise SystemExit("recover: --metadata must be a JSON object")
    return normalise_metadata(entries)


def normalise_metadata(entries):
    meta = {}
    for name, value in entries.items():
        name = name.lower()
        if name.startswith("x-amz-meta-"):
            name = name[len("x-amz-meta-"):]
        if not name.startswith("s3eg-"):
            continue
        if name in meta:
            raise Refused("MalformedMetadata: two entries named " + name)
        if value is None or value == "":
            raise Refused("MalformedMetadata: " + name + " has no value")
        meta[name] = value
    return meta


ALLOWED = {
    1: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek", "s3eg-etag",
        "s3eg-sum"},
    2: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek", "s3eg-etag",
        "s3eg-sum", "s3eg-cmp"},
    3: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"},
    4: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"},
}
REQUIRED = {
    1: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"},
    2: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek", "s3eg-etag",
        "s3eg-cmp"},
    3: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"},
    4: {"s3eg-v", "s3eg-alg", "s3eg-seg", "s3eg-hdr", "s3eg-kek", "s3eg-dek"},
}


def canonical_b64(value, name):
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("MalformedMetadata: " + name + " is not base64")
    if base64.b64encode(raw).decode("ascii") != value:
        raise Refused("MalformedMetadata: " + name + " is not canonical base64")
    return raw


class Metadata:
    def __init__(self, meta):
        if not meta:
            raise Refused("NoEncryptionMetadata: no s3eg- entry (the gateway did not write it)")
        v = meta.get("s3eg-v")
        if v is None or not re.fullmatch(r"0|[1-9][0-9]{0,8}", v):
            raise Refused("MalformedMetadata: s3eg-v")
        self.version = int(v)
        if self.version not in ALLOWED:
            raise Refused("UnsupportedVersion: " + v)
        extra = set(meta) - ALLOWED[self.version]
        missing = REQUIRED[self.version] - set(meta)
        if extra or missing:
            raise Refused("MalformedMetadata: unexpected %s, missing %s"
                          % (sorted(extra), sorted(missing)))
        self.alg = meta["s3eg-alg"]
        if self.alg not in ("AES256-GCM", "CHACHA20-POLY1305"):
            raise Refused("UnsupportedAlgorithm: " + self.alg)
        seg = meta["s3eg-seg"]
        if not re.fullmatch(r"[1-9][0-9]*", seg) or not 64 <= int(seg) <= 1048576:
            raise Refused("MalformedMetadata: s3eg-seg")
        self.segment = int(seg)
        self.header = canonical_b64(meta["s3eg-hdr"], "s3eg-hdr")
        if len(self.header) != HEADER_SIZE or self.header[0] != 0x28:
            raise Refused("MalformedMetadata: s3eg-hdr")
        kek = meta["s3eg-kek"]
        m = re.fullmatch(r"([^:]+):(0|[1-9][0-9]*)", kek)
        if not m:
            raise Refused("MalformedMetadata: s3eg-kek")
        self.kek_id, self.kek_version = m.group(1), int(m.group(2))
        self.kek_ref = kek
        self.wrapped = canonical_b64(meta["s3eg-dek"], "s3eg-dek")
        if not 1 <= len(self.wrapped) <= 1024:
            raise Refused("MalformedMetadata: s3eg-dek")
        self.trailer = None
        if "s3eg-etag" in meta:
            t = re.fullmatch(r"([0-9a-f]{32})\.(0|[1-9][0-9]{0,18})\.([0-9a-f]{32})",
                             meta["s3eg-etag"])
            if not t:
                raise Refused("MalformedMetadata: s3eg-etag")
            self.trailer = (bytes.fromhex(t.group(1)), int(t.group(2)), bytes.fromhex(t.group(3)))
        self.checksum = meta.get("s3eg-sum")
        self.cmp = meta.get("s3eg-cmp")
        if self.cmp is not None:
            c = re.fullmatch(r"([a-z0-9]{1,16})\.([1-9][0-9]*)", self.cmp)
            if not c:
                raise Refused("MalformedMetadata: s3eg-cmp")
            self.codec, self.frame = c.group(1), int(c.group(2))
            if not 64 <= self.frame <= 4 << 20:
                raise Refused("MalformedMetadata: s3eg-cmp frame size")
            if self.codec not in ("zstd", "gzip"):
                raise Refused("UnsupportedCompression: " + self.codec)


# ---------------------------------------------------------------- keys (§5, key-management.md)


def fingerprint(kek):
    return hmac.new(kek, b"s3eg/kek-fingerprint/v1", hashlib.sha256).hexdigest()[:12]


def password_kek(password, salt_text):
    salt = DEFAULT_PASSWORD_SALT if salt_text is None else salt_text.encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, PBKDF2_ITERATIONS, 32)


def keyring_kek(path, meta):
    with open(path, encoding="utf-8") as f:
        ring = json.load(f)
    ring_id = ring.get("id", "keyring")
    if ring_id != meta.kek_id:
        raise Refused("UnknownKey: the object names KEK %s, the keyring is '%s'"
                      % (meta.kek_ref, ring_id))
    for entry in ring.get("keys", []):
        if entry.get("version") == meta.kek_version:
            return base64.b64decode(entry["key"], validate=True)
    raise Refused("UnknownKey: keyring '%s' has no version %d" % (ring_id, meta.kek_version))


def check_local_reference(kek, meta, prefix):
    """Password and generated keys are named by their fingerprint: tell another key from damage."""
    expected = "%s%s:1" % (prefix, fingerprint(kek))
    if meta.kek_ref != expected:
        raise Refused("UnknownKey: the object names KEK %s, this key is %s"
                      % (meta.kek_ref, expected))


def wrap_ad(meta, bucket, key):
    alg = meta.alg.encode("ascii")
    ad = b"s3eg/wrap" + bytes([meta.version]) + bytes([len(alg)]) + alg
    ad += struct.pack(">I", meta.segment) + meta.header
    if meta.version == 2:
        cmp_ = meta.cmp.encode("ascii")
        ad += bytes([len(cmp_)]) + cmp_
    b, k = bucket.encode("utf-8"), key.encode("utf-8")
    return ad + struct.pack(">H", len(b)) + b + struct.pack(">I", len(k)) + k


def unwrap_dek(kek, meta, bucket, key):
    w = meta.wrapped
    if len(w) < 12 + TAG_SIZE:
        raise Refused("KeyUnwrapFailed: wrapped key too short")
    try:
        return AESGCM(kek).decrypt(w[:12], w[12:], wrap_ad(meta, bucket, key))
    except InvalidTag:
        raise Refused("KeyUnwrapFailed: the data key does not open for s3://%s/%s (moved, "
                      "renamed, metadata altered, or another key)" % (bucket, key))


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


# ---------------------------------------------------------------- the body (§2, §3)


def aead(alg, key):
    return AESGCM(key) if alg == "AES256-GCM" else ChaCha20Poly1305(key)


def segment_count(size, p):
    return 1 if size == 0 else -(-(size + HEADER_SIZE) // p)


def body_size(size, p):
    return HEADER_SIZE + size + TAG_SIZE * segment_count(size, p)


def plaintext_size(body, p):
    c = p + TAG_SIZE
    n = -(-body // c)
    s = body - HEADER_SIZE - TAG_SIZE * n
    if s < 0 or body_size(s, p) != body:
        raise Refused("ImpossibleCiphertextSize: no plaintext has a %d-byte body" % body)
    return s


class Reader:
    """Exact reads from a file, with a count of what was consumed."""

    def __init__(self, f):
        self.f = f
        self.position = 0

    def exactly(self, n, what):
        data = b""
        while len(data) < n:
            chunk = self.f.read(n - len(data))
            if not chunk:
                raise Refused("TruncatedCiphertext: %s ends early" % what)
            data += chunk
        self.position += n
        return data

    def at_end(self):
        return self.f.read(1) == b""


def decrypt_body(reader, dek, alg, p, body_ad, expected_header, size):
    """Yields the plaintext of one body (§2) of `size` plaintext bytes, segment by segment."""
    header = reader.exactly(HEADER_SIZE, "the header")
    if expected_header is not None and header != expected_header:
        raise Refused("HeaderMismatch: the body is not the one the metadata describes")
    if header[0] != 0x28:
        raise Refused("HeaderMismatch: a part header does not start with 0x28")
    salt, prefix = header[1:33], header[33:40]
    cipher = aead(alg, hkdf(dek, salt, body_ad))
    n = segment_count(size, p)
    remaining = size
    for i in range(n):
        room = p - HEADER_SIZE if i == 0 else p
        plain_len = min(room, remaining)
        sealed = reader.exactly(plain_len + TAG_SIZE, "segment %d" % i)
        nonce = prefix + struct.pack(">I", i) + (b"\x01" if i == n - 1 else b"\x00")
        try:
            plain = cipher.decrypt(nonce, sealed, None)
        except InvalidTag:
            raise Refused("TamperedSegment(%d): a segment failed its tag" % i)
        remaining -= plain_len
        yield plain


# ---------------------------------------------------------------- version 1 and 2 (§6, §11)


def check_trailer(dek, meta):
    md5, size, mac = meta.trailer
    mac_key = hkdf(dek, None, b"s3eg/v1/etag-mac")
    expect = hmac.new(mac_key, bytes([meta.version]) + md5 + struct.pack(">Q", size),
                      hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(expect, mac):
        raise Refused("MetadataAuthenticationFailed: s3eg-etag altered or from another object")


def single(meta, dek, f, stored_size):
    body_ad = b"s3eg/v1/object" if meta.version == 1 else b"s3eg/v2/object"
    inner = plaintext_size(stored_size, meta.segment)
    if meta.trailer is not None:
        check_trailer(dek, meta)
        if meta.version == 1 and inner != meta.trailer[1]:
            raise Refused("TruncatedCiphertext: the body does not hold %d bytes"
                          % meta.trailer[1])
    reader = Reader(f)
    plain = decrypt_body(reader, dek, meta.alg, meta.segment, body_ad, meta.header, inner)
    if meta.version == 2:
        plain = decompress(plain, meta, inner)
    md5 = hashlib.md5()
    total = 0
    for chunk in plain:
        md5.update(chunk)
        total += len(chunk)
        yield chunk
    if not reader.at_end():
        raise Refused("TrailingData: bytes after the final segment")
    if meta.trailer is not None and (md5.digest() != meta.trailer[0] or total != meta.trailer[1]):
        raise Refused("MetadataAuthenticationFailed: plaintext MD5 or size differs from s3eg-etag")


class Bytes:
    """A pull reader over an iterator of byte chunks."""

    def __init__(self, chunks):
        self.chunks = iter(chunks)
        self.buffer = b""
        self.position = 0

    def take(self, n):
        while len(self.buffer) < n:
            chunk = next(self.chunks, None)
            if chunk is None:
                raise Refused("CorruptCompressedData: the container ends early")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        self.position += n
        return out

    def drained(self):
        for chunk in self.chunks:
            self.buffer += chunk
        return self.buffer == b""


def decode_frame(codec, data, length):
    if codec == "gzip":
        if len(data) < 18 or data[:4] != b"\x1f\x8b\x08\x00":
            raise Refused("CorruptCompressedData: not a gzip member with FLG = 0")
        d = zlib.decompressobj(-zlib.MAX_WBITS)
        out = d.decompress(data[10:], length + 1)
        rest = d.unused_data
        if not d.eof or len(out) != length or len(rest) != 8:
            raise Refused("CorruptCompressedData: a gzip frame does not decode to %d bytes"
                          % length)
        crc, isize = struct.unpack("<II", rest)
        if crc != zlib.crc32(out) or isize != length & 0xFFFFFFFF:
            raise Refused("CorruptCompressedData: gzip CRC-32 or ISIZE")
        return out
    try:  # zstd: Python 3.14's compression.zstd, or the zstandard module if installed
        from compression import zstd  # type: ignore

        out = zstd.decompress(data)
    except ImportError:
        try:
            import zstandard  # type: ignore
        except ImportError:
            raise Refused("UnsupportedCompression: zstd frames need Python 3.14 or the "
                          "zstandard module")
        try:
            out = zstandard.ZstdDecompressor().decompress(data, max_output_size=length)
        except zstandard.ZstdError as e:
            raise Refused("CorruptCompressedData: a zstd frame does not decode: %s" % e)
    if len(out) != length:
        raise Refused("CorruptCompressedData: a zstd frame does not decode to %d bytes" % length)
    return out


def decompress(container_chunks, meta, container_size):
    """§11: the frame container Z, decoded frame by frame, its index checked."""
    size = meta.trailer[1]
    f = meta.frame
    m = -(-size // f)
    if container_size < 13 * m:
        raise Refused("ImpossibleCiphertextSize: container too small for %d frames" % m)
    z = Bytes(container_chunks)
    offsets = []
    for i in range(m):
        offsets.append(z.position)
        method, n = struct.unpack(">BI", z.take(5))
        length = min(f, size - i * f)
        data = z.take(n)
        if method == 0 and n == length:
            yield data
        elif method == 1 and 0 < n < length:
            yield decode_frame(meta.codec, data, length)
        else:
            raise Refused("CorruptCompressedData: frame %d (method %d, %d bytes)" % (i, method, n))
    index = z.take(8 * m)
    if list(struct.unpack(">%dQ" % m, index)) != offsets:
        raise Refused("CorruptCompressedData: the frame index differs from the frames")
    if not z.drained():
        raise Refused("CorruptCompressedData: bytes after the index")


# ---------------------------------------------------------------- multipart (§12)


def index_name(key, meta):
    base = ".s3eg/index/" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    if meta.version == 3:
        return base
    return base + "." + hashlib.sha256(meta.header).hexdigest()[:32]


def stored_part_size(size, p):
    return PART_PREFIX_SIZE + body_size(size, p)


def read_index(data, dek, meta, bucket, key):
    if len(data) < 1 + 40 + 16 + 4 + 32 or data[0] != 0x02:
        raise Refused("MetadataAuthenticationFailed: not a part index")
    count = struct.unpack(">I", data[57:61])[0]
    if len(data) != 61 + 12 * count + 32:
        raise Refused("MetadataAuthenticationFailed: index length")
    b, k = bucket.encode("utf-8"), key.encode("utf-8")
    mac_key = hkdf(dek, None, b"s3eg/v2/index-mac")
    expect = hmac.new(mac_key, b"s3eg/v2/index" + struct.pack(">H", len(b)) + b
                      + struct.pack(">I", len(k)) + k + data[:-32], hashlib.sha256).digest()
    if not hmac.compare_digest(expect, data[-32:]):
        raise Refused("MetadataAuthenticationFailed: the index does not verify for this object")
    if data[1:41] != meta.header:
        raise Refused("MetadataAuthenticationFailed: the index is another upload's")
    parts = [struct.unpack(">IQ", data[61 + 12 * i: 73 + 12 * i]) for i in range(count)]
    return data[41:57], parts


def multipart(meta, dek, f, stored_size, index, bucket, key):
    if index is None:
        parts = None
        sys.stderr.write("recover: WARNING: no index: parts are read from their prefixes; "
                         "nothing proves that no part at the end is missing\n")
    else:
        etag_md5, parts = read_index(index, dek, meta, bucket, key)
        if sum(stored_part_size(s, meta.segment) for _, s in parts) != stored_size:
            raise Refused("MetadataAuthenticationFailed: the part sizes do not add up to the "
                          "stored size (a part cut, dropped or appended)")
    reader = Reader(f)
    i = 0
    while reader.position < stored_size if parts is None else i < len(parts):
        prefix = reader.exactly(PART_PREFIX_SIZE, "a part prefix")
        number, size = struct.unpack(">IQ", prefix)
        if parts is not None and (number, size) != parts[i]:
            raise Refused("HeaderMismatch: part %d is not the one the index names" % (i + 1))
        part_ad = b"s3eg/v2/part" + prefix
        yield from decrypt_body(reader, dek, meta.alg, meta.segment, part_ad, None, size)
        i += 1
    if not reader.at_end():
        raise Refused("TrailingData: bytes after the last part")
    if parts is not None:
        sys.stderr.write("recover: %d parts, ETag \"%s-%d\"\n"
                         % (len(parts), etag_md5.hex(), len(parts)))


# ---------------------------------------------------------------- the embedded store


EMBEDDED_METADATA_ATTRIBUTE = "user.user.user-metadata."


def embedded_paths(data_dir, bucket, key):
    """The embedded store (docs/operations.md, "The embedded store on disk"): the object is the
    file DATA_DIR/objects/<bucket>/<key>, each metadata entry NAME its extended attribute
    user.user.user-metadata.NAME."""
    path = os.path.join(data_dir, "objects", bucket, *key.split("/"))
    if not os.path.isfile(path):
        raise Refused("no object file " + path)
    meta = {}
    for attr in os.listxattr(path):
        if attr.startswith(EMBEDDED_METADATA_ATTRIBUTE):
            name = attr[len(EMBEDDED_METADATA_ATTRIBUTE):]
            meta[name] = os.getxattr(path, attr).decode("utf-8")
    return path, normalise_metadata(meta)


# ---------------------------------------------------------------- main


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--key", required=True, help="the object key, decoded (as S3 names it)")
    ap.add_argument("--metadata", help="head-object JSON or {name: value} of the object")
    ap.add_argument("--body", help="the object's stored bytes")
    ap.add_argument("--index", help="multipart: the stored index (see --index-name)")
    ap.add_argument("--without-index", action="store_true",
                    help="multipart: read the parts without their index (no completeness proof)")
    ap.add_argument("--embedded", metavar="DATA_DIR", help="read body and metadata (and index) "
                    "from the embedded store under DATA_DIR/objects")
    ap.add_argument("--index-name", action="store_true",
                    help="print the backend name of the object's part index and exit")
    keys = ap.add_mutually_exclusive_group()
    keys.add_argument("--password-file", help="file holding ENCRYPTION_PASSWORD (one line)")
    keys.add_argument("--keyring", help="the KEYRING_FILE (JSON)")
    keys.add_argument("--kek-file", help="gateway-kek.b64 (the embedded store's generated key)")
    ap.add_argument("--salt", help="ENCRYPTION_PASSWORD_SALT, if one was configured (its text)")
    ap.add_argument("--out", default="-", help="output file, or - for standard output")
    args = ap.parse_args(argv)

    index = None
    if not args.embedded and (not args.metadata or (not args.body and not args.index_name)):
        ap.error("--metadata and --body are required (or --embedded)")
    try:
        if args.embedded:
            body_path, meta_entries = embedded_paths(args.embedded, args.bucket, args.key)
        else:
            body_path, meta_entries = args.body, load_metadata(args.metadata)
        meta = Metadata(meta_entries)
        if args.index_name:
            print(index_name(args.key, meta) if meta.version in (3, 4) else "(not multipart)")
            return 0
        if args.password_file:
            with open(args.password_file, encoding="utf-8") as f:
                kek = password_kek(f.read().rstrip("\r\n"), args.salt)
            check_local_reference(kek, meta, "pw-")
        elif args.kek_file:
            with open(args.kek_file, encoding="ascii") as f:
                kek = base64.b64decode(f.read().strip(), validate=True)
            check_local_reference(kek, meta, "static-")
        elif args.keyring:
            kek = keyring_kek(args.keyring, meta)
        else:
            ap.error("one of --password-file, --keyring, --kek-file is required")
        if len(kek) != 32:
            raise Refused("the KEK must be 32 bytes")
        dek = unwrap_dek(kek, meta, args.bucket, args.key)
        if meta.version in (3, 4) and not args.without_index:
            if args.index:
                with open(args.index, "rb") as f:
                    index = f.read()
            elif args.embedded:
                path, _ = embedded_paths(args.embedded, args.bucket, index_name(args.key, meta))
                with open(path, "rb") as f:
                    index = f.read()
            else:
                raise Refused("MetadataAuthenticationFailed: a multipart object needs its index "
                              "(--index; its name: --index-name), or --without-index")
        stored_size = os.path.getsize(body_path)
        with open(body_path, "rb") as f:
            if meta.version in (3, 4):
                plain = multipart(meta, dek, f, stored_size, index, args.bucket, args.key)
            else:
                plain = single(meta, dek, f, stored_size)
            write(plain, args.out)
    except Refused as e:
        sys.stderr.write("recover: REFUSED s3://%s/%s: %s\n" % (args.bucket, args.key, e))
        return 1
    return 0


def write(chunks, out):
    if out == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    tmp = out + ".recovering"
    try:
        with open(tmp, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
