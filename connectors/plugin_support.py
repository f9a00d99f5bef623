"""Small helpers the built-in connector plugins share."""
from importlib import metadata
from pathlib import Path


def distribution_version(name: str = "aduan") -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def uploads(paths: list[Path]) -> list[tuple[str, bytes, str]]:
    """Our stored photos (always JPEG after re-encoding) as multipart uploads."""
    return [(path.name, path.read_bytes(), "image/jpeg") for path in paths]


def split_contact(contact: str) -> dict[str, str | None]:
    """The email and phone inside a reporter contact field."""
    email = phone = None
    for token in contact.replace(",", " ").replace(";", " ").split():
        if "@" in token:
            email = email or token
        elif any(ch.isdigit() for ch in token):
            phone = phone or token
    return {"email": email, "phone": phone}


def join_contact(*values: str | None) -> str:
    return ", ".join(v for v in values if v)
