"""Keyed pseudonyms for the identifiers the BI file must not show in clear.

A pseudonym is HMAC-SHA256(key, id) as lower-case hex, cut to a fixed number of characters:
the same id gives the same pseudonym on every publish made with the same key (joins and
distinct counts keep working), and without the key it cannot be reversed or recomputed (a
dictionary of candidate ids is useless without it). The publish step computes it inside DuckDB
with a SQL macro built here; `hmac_pseudonym` is the reference implementation the tests compare
it with.

The key comes from the environment variable GNE_PSEUDONYM_KEY. When it is not set, a random key
is created once in a key file (default build/pseudonym.key, readable by its owner only) and
reused, so a laptop build needs no setup; production sets the variable from its secret store.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_ENV_VAR = "GNE_PSEUDONYM_KEY"
KEY_FILE_ENV_VAR = "GNE_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path("build") / "pseudonym.key"
MIN_KEY_LENGTH = 16
SHA256_BLOCK_BYTES = 64
MACRO_NAME = "gne_pseudonym"


@dataclass(frozen=True)
class PseudonymKey:
    """The secret and where it came from (printed, never the secret itself)."""

    secret: bytes
    source: str

    @property
    def key_id(self) -> str:
        """A short fingerprint of the key, published so readers can tell when it was rotated."""
        return hmac.new(self.secret, b"gne-pseudonym-key-id", hashlib.sha256).hexdigest()[:12]


def load_key(repo_root: Path) -> PseudonymKey:
    """The key from GNE_PSEUDONYM_KEY, else from the key file (created on first use)."""
    value = os.environ.get(KEY_ENV_VAR)
    if value:
        return _checked(PseudonymKey(value.encode("utf-8"), f"${KEY_ENV_VAR}"))
    key_file = Path(os.environ.get(KEY_FILE_ENV_VAR, DEFAULT_KEY_FILE))
    if not key_file.is_absolute():
        key_file = repo_root / key_file
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        print(f"publish: {KEY_ENV_VAR} is not set; created a new random key in {key_file}")
    return _checked(PseudonymKey(key_file.read_text().strip().encode("utf-8"), str(key_file)))


def _checked(key: PseudonymKey) -> PseudonymKey:
    if len(key.secret) < MIN_KEY_LENGTH:
        raise ValueError(f"the pseudonym key from {key.source} is shorter than {MIN_KEY_LENGTH}")
    return key


def hmac_pseudonym(secret: bytes, value: str, hex_chars: int) -> str:
    """The pseudonym of one id, computed with Python's hmac (the reference)."""
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()[:hex_chars]


def macro_sql(secret: bytes, hex_chars: int) -> str:
    """A DuckDB temporary macro computing the same HMAC-SHA256 as `hmac_pseudonym`.

    HMAC(K, m) = H((K0 xor opad) || H((K0 xor ipad) || m)), K0 the key padded (or first hashed)
    to the 64-byte block of SHA-256. The two padded keys are fixed per publish, so they are
    written into the macro as hex constants; the macro lives in the publishing connection only.
    """
    block = secret if len(secret) <= SHA256_BLOCK_BYTES else hashlib.sha256(secret).digest()
    block = block.ljust(SHA256_BLOCK_BYTES, b"\0")
    inner_pad = bytes(byte ^ 0x36 for byte in block).hex()
    outer_pad = bytes(byte ^ 0x5C for byte in block).hex()
    return (
        f"create or replace temp macro {MACRO_NAME}(value) as "
        "case when value is null then null else left(sha256("
        f"unhex('{outer_pad}') || unhex(sha256(unhex('{inner_pad}') "
        f"|| encode(cast(value as varchar))))), {int(hex_chars)}) end"
    )
