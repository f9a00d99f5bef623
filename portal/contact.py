"""What a contact address is: one email pattern and one phone pattern for
the citizen form, staff accounts and notifications alike.

Strict on purpose: an address as a mail server expects it and nothing else.
No display name ("Budi <budi@x.id>"), no header ("Bcc: x@y.id"), no list,
no quotes, no trailing newline (`$` would allow one; `\\Z` does not), ASCII
digits only in a phone number.
"""
import re

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
                   r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z")
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{6,19}\Z")

# What a person types for a phone number: digits with spaces, dots, dashes
# and brackets, perhaps a leading "+".  Checked before any digit is counted.
_PHONE_TYPED = re.compile(r"\+?[0-9 ().-]{6,30}\Z")
# An Indonesian number after the country code: no leading 0, 8 to 12 digits
# (landlines from 021-1234567 up, mobiles 8xx with 9 to 12 digits).
_NATIONAL = re.compile(r"[1-9][0-9]{7,11}\Z")


class ContactInvalid(ValueError):
    """Why a contact was refused: "format", "phone_length" or "phone_country"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalize_phone(text: str) -> str:
    """An Indonesian phone number in +62 form: 0812-3456-789, 62812…, +62 812…
    and (0812) 3456 789 are all +628123456789.  Raises ContactInvalid."""
    text = (text or "").strip()
    if not _PHONE_TYPED.match(text) or text.count("+") > 1:
        raise ContactInvalid("format")
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        if not digits.startswith("62"):
            raise ContactInvalid("phone_country")
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("8"):  # typed without the leading 0
        national = digits
    else:
        raise ContactInvalid("phone_country")
    if national.startswith("0"):
        raise ContactInvalid("phone_country")
    if not _NATIONAL.match(national) or (national.startswith("8") and len(national) < 9):
        raise ContactInvalid("phone_length")
    return "+62" + national


def normalize_email(text: str) -> str:
    """The address with its domain in lower case (the local part is the
    mailbox owner's and stays as typed).  Raises ContactInvalid."""
    text = (text or "").strip()
    if len(text) > 200 or not EMAIL.match(text):
        raise ContactInvalid("format")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalize(text: str) -> str:
    """An email or an Indonesian phone number, normalised; "" stays "".
    Raises ContactInvalid with the reason a person can act on."""
    text = (text or "").strip()
    if not text:
        return ""
    if "@" in text:
        return normalize_email(text)
    return normalize_phone(text)


def normalize_loosely(text: str) -> str:
    """For contacts from other channels, which cannot be refused: normalised
    when possible, otherwise as received."""
    try:
        return normalize(text)
    except ContactInvalid:
        return (text or "").strip()
