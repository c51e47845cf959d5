#!/usr/bin/env python3
"""Independent implementation of the AA FI-data encryption (issue 13, section 1), written once to fix known vectors.

Curve25519 in short Weierstrass form (BouncyCastle CustomNamedCurves "curve25519", as rahasya's /ecc/v1 uses it):
point arithmetic by hand below; HKDF-SHA256 and AES-256-GCM from the `cryptography` package. It shares no code with
the C# implementation under test. Keys are derived from fixed labels so that the script is reproducible; the FIP key of
the second case is searched so that the ECDH shared secret starts with a zero byte (the padding case).

Run:  python3 make_vectors.py > ../aa-crypto-vectors.json
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

P = 2**255 - 19
A = 0x2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA984914A144
B = 0x7B425ED097B425ED097B425ED097B425ED097B425ED097B4260B5E9C7710C864
GX = 0x2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD245A
GY = 0x20AE19A1B8A086B4E01EDD2C7748D14C923D4D7E6D7C61B229E9C5A27ECED3D9
N = 2**252 + 27742317777372353535851937790883648493
H = 8


def on_curve(pt):
    x, y = pt
    return (y * y - (x * x * x + A * x + B)) % P == 0


def add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return (x3, (lam * (x1 - x3) - y1) % P)


def mul(k, pt):
    acc = None
    while k:
        if k & 1:
            acc = add(acc, pt)
        pt = add(pt, pt)
        k >>= 1
    return acc


G = (GX, GY)
assert on_curve(G)
assert mul(N, G) is None


def be32(v):
    return v.to_bytes(32, "big")


def der_len(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def der_int(v):
    body = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    if body[0] & 0x80:
        body = b"\x00" + body
    return tlv(0x02, body)


OID_EC_PUBLIC_KEY = bytes.fromhex("06072a8648ce3d0201")  # 1.2.840.10045.2.1
OID_PRIME_FIELD = bytes.fromhex("06072a8648ce3d0101")  # 1.2.840.10045.1.1


def spki(q):
    """X.509 SubjectPublicKeyInfo with explicit ECParameters (RFC 3279), uncompressed point."""
    field = tlv(0x30, OID_PRIME_FIELD + der_int(P))
    curve = tlv(0x30, tlv(0x04, be32(A)) + tlv(0x04, be32(B)))
    base = tlv(0x04, b"\x04" + be32(GX) + be32(GY))
    params = tlv(0x30, der_int(1) + field + curve + base + der_int(N) + der_int(H))
    alg = tlv(0x30, OID_EC_PUBLIC_KEY + params)
    point = b"\x04" + be32(q[0]) + be32(q[1])
    return tlv(0x30, alg + tlv(0x03, b"\x00" + point))


def key_value(q):
    return "-----BEGIN PUBLIC KEY-----" + base64.b64encode(spki(q)).decode() + "-----END PUBLIC KEY-----"


def scalar(label):
    return int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (N - 1) + 1


def nonce(label):
    return hashlib.sha256(("nonce:" + label).encode()).digest()


def key_material(q, nonce_bytes, expiry):
    return {
        "cryptoAlg": "ECDH",
        "curve": "Curve25519",
        "params": "cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH",
        "DHPublicKey": {"expiry": expiry, "Parameters": "", "KeyValue": key_value(q)},
        "Nonce": base64.b64encode(nonce_bytes).decode(),
    }


def encrypt(secret, fiu_nonce, fip_nonce, plaintext):
    x = bytes(a ^ b for a, b in zip(fiu_nonce, fip_nonce))
    salt, iv = x[:20], x[20:32]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"").derive(secret)
    return key, salt, iv, AESGCM(key).encrypt(iv, plaintext, None)


EXPIRY = "2026-12-07T10:15:00.000Z"

PLAINTEXT = (
    '{"account":{"type":"deposit","maskedAccNumber":"XXXXXXXX4020","linkedAccRef":"vec-link-1",'
    '"version":"2.0.0","Profile":{"Holders":{"type":"SINGLE","Holder":[{"name":"Vector Traders",'
    '"pan":"AAAPV1234C","ckycCompliance":true}]}},"Summary":{"currentBalance":"125000.50","currency":"INR",'
    '"type":"CURRENT","branch":"Pune","status":"ACTIVE"},"Transactions":{"startDate":"2026-10-01",'
    '"endDate":"2026-10-31","Transaction":[{"txnId":"V1","type":"CREDIT","mode":"UPI","amount":"1500.00",'
    '"currentBalance":"126500.50","transactionTimestamp":"2026-10-03T11:20:00+05:30",'
    '"valueDate":"2026-10-03","narration":"UPI/CR/Rs 1500 \u20b9 from buyer","reference":"R1"}]}}}'
).encode("utf-8")


def case(name, fiu_label, fip_label, want_leading_zero):
    d_fiu = scalar(fiu_label)
    q_fiu = mul(d_fiu, G)
    i = 0
    while True:
        d_fip = scalar(f"{fip_label}:{i}")
        q_fip = mul(d_fip, G)
        shared = mul(d_fiu, q_fip)
        assert shared == mul(d_fip, q_fiu)
        secret = be32(shared[0])
        if (secret[0] == 0) == want_leading_zero:
            break
        i += 1
    n_fiu, n_fip = nonce(fiu_label), nonce(f"{fip_label}:{i}")
    key, salt, iv, blob = encrypt(secret, n_fiu, n_fip, PLAINTEXT)
    # a second look at the blob with the FIU's view: decrypt with the key derived the other way round
    assert AESGCM(key).decrypt(iv, blob, None) == PLAINTEXT
    return {
        "name": name,
        "fiu": {"d": be32(d_fiu).hex(), "nonce": base64.b64encode(n_fiu).decode(),
                "keyMaterial": key_material(q_fiu, n_fiu, EXPIRY), "spkiHex": spki(q_fiu).hex()},
        "fip": {"d": be32(d_fip).hex(), "nonce": base64.b64encode(n_fip).decode(),
                "keyMaterial": key_material(q_fip, n_fip, EXPIRY), "spkiHex": spki(q_fip).hex(), "searchIndex": i},
        "sharedSecretHex": secret.hex(),
        "saltHex": salt.hex(),
        "ivHex": iv.hex(),
        "sessionKeyHex": key.hex(),
        "plaintextBase64": base64.b64encode(PLAINTEXT).decode(),
        "encryptedFI": base64.b64encode(blob).decode(),
    }


out = {
    "generator": "Msme.Domain.Tests/Aa/Fixtures/vectors/make_vectors.py",
    "python": sys.version.split()[0],
    "curve": "Curve25519 (short Weierstrass, BouncyCastle curve25519)",
    "cases": [
        case("typical", "msme-vector-fiu-1", "msme-vector-fip-1", False),
        case("leading-zero-secret", "msme-vector-fiu-2", "msme-vector-fip-2", True),
    ],
}
json.dump(out, sys.stdout, indent=2)
sys.stdout.write("\n")
