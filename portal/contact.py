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
