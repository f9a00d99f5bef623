"""Where photo files live, behind one small interface.

Every reader and writer of photo files goes through `storage_for(folder)`:
intake (`photos.store_photo`), the cleanup of failed submissions, the
`/foto/` route, forwarding to other channels and `flask backup`.  The one
backend today is a folder, UPLOAD_FOLDER.  With several web and worker
hosts it must be the same folder on all of them (a shared mount:
deploy/README.md); an object-store backend would implement the same
methods.  Files are written under a temporary name and renamed, so a
reader on another host never sees half a photo.
"""
import os
import re
import secrets
from pathlib import Path

NAME = re.compile(r"[0-9a-f]{32}\.jpg")


class FolderStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, name: str) -> Path:
        """The file's local path (for sending it).  Only generated names:
        nothing a client typed can reach outside the folder."""
        if not NAME.fullmatch(name):
            raise ValueError(f"not a photo name: {name!r}")
        return self.root / name

    def write(self, name: str, data: bytes) -> int:
        target = self.path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".{name}.{secrets.token_hex(4)}.tmp"
        with open(temporary, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        return len(data)

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return NAME.fullmatch(name) is not None and self.path(name).is_file()

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if NAME.fullmatch(p.name))


def storage_for(folder: str | Path) -> FolderStorage:
    return FolderStorage(folder)
