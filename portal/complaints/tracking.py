"""Public tracking codes: 10 Crockford base32 characters (50 random bits).

Crockford's alphabet has no I, L, O or U, so a code read aloud or typed from
a printout survives the usual mix-ups; `normalize` maps them back.
"""
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    """ABCDE-FGHJK: two groups of five are easier to read aloud."""
    return f"{code[:5]}-{code[5:]}"


def normalize(text: str) -> str | None:
    """The stored form of a typed code, or None if it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -_.\t").translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
