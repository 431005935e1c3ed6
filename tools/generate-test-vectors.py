#!/usr/bin/env python3
"""Regenerates common/src/test/resources/{float-vectors,ed25519-vectors}.json.

Not part of the build: the JSON files are committed data. Needs orjson (the serializer the
reference rxon library uses) and cryptography. Float vectors pin our canonical float layout to
orjson's; Ed25519 vectors pin signatures (deterministic by RFC 8032) to the reference's
sign_payload_ed25519, which signs the same canonical bytes.
"""
import json
import random
import struct
import sys

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

out_dir = sys.argv[1] if len(sys.argv) > 1 else "common/src/test/resources"
rng = random.Random(20261124)

values = [0.5, 0.1, 0.02, 12.5, 1e-5, 9.99e-6, 1.234e-5, 1e-7, 3.14e-5, 123456789.123, 5e-324,
          2.2250738585072014e-308, 4503599627370495.5, 0.30000000000000004, 1 / 3, 2 / 3, 1e-4, 0.001,
          -0.5, -1e-9, 9007199254740.993, 1.7976931348623157e308 / 1e300, 100.25, 0.000012]
for _ in range(3000):
    kind = rng.random()
    if kind < 0.4:
        v = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    elif kind < 0.8:
        v = rng.uniform(-1, 1) * 10 ** rng.randint(-12, 15)
    else:
        v = round(rng.uniform(0, 1000), rng.randint(1, 6))
    if v != v or v in (float("inf"), float("-inf")) or v.is_integer():
        continue
    values.append(v)

floats = [{"bits": struct.unpack("<q", struct.pack("<d", v))[0], "orjson": orjson.dumps(v).decode()}
          for v in values]
with open(f"{out_dir}/float-vectors.json", "w") as f:
    json.dump({"source": f"orjson {orjson.__version__} dumps() of non-integral doubles, keyed by IEEE-754 bits",
               "vectors": floats}, f, indent=1)

key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
messages = [
    {"worker_id": "w1", "status": "idle", "timestamp": 1760000000, "security": {"signature": "x"}},
    {"job_id": "j1", "task_id": "t1", "data": {"score": 100.0, "ratio": 0.02, "note": None}, "timestamp": 1760000000},
    {"event_id": "e1", "worker_id": "w1", "origin_worker_id": "w1", "event_type": "progress",
     "payload": {"progress": 0.5, "message": "h\u00e9llo"}, "timestamp": 1760000000, "bubbling_chain": ["proxy-1"]},
]


def to_dict(value):
    """The reference's to_dict pass 2: drop null members, integral floats to int."""
    if isinstance(value, dict):
        return {str(k): to_dict(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [to_dict(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


eds = []
for message in messages:
    body = to_dict(message)
    ignore = ["bubbling_chain"] if "event_id" in body else []
    signed = {k: v for k, v in body.items() if k not in ["security", "_signature", *ignore]}
    canonical = orjson.dumps(signed, option=orjson.OPT_SORT_KEYS)
    eds.append({"input": json.dumps(message), "ignore_fields": ignore, "canonical": canonical.decode(),
                "signature_hex": key.sign(canonical).hex()})
with open(f"{out_dir}/ed25519-vectors.json", "w") as f:
    json.dump({"source": "cryptography Ed25519 over orjson canonical bytes, as rxon sign_payload_ed25519",
               "private_key_pem": private_pem, "public_key_pem": public_pem, "vectors": eds}, f, indent=1)
