"""Staff accounts: creating them and checking passwords (argon2id)."""
import secrets
import threading

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

from portal.accounts import roles
from portal.accounts.models import User
from portal.directory.models import Bidang, Opd
from portal.inputs import is_email

_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
# Each argon2 computation of the RFC 9106 low-memory profile takes 64 MiB:
# without a cap, 24 parallel failed logins took a process to 776 MB.  Extra
# attempts wait their turn instead.
_hash_slots = threading.BoundedSemaphore(2)


def init_app(app):
    """Tests set PASSWORD_PROFILE = "CHEAPEST"; production keeps RFC 9106."""
    global _hasher, _hash_slots
    _hasher = PasswordHasher.from_parameters(getattr(profiles, app.config["PASSWORD_PROFILE"]))
    _hash_slots = threading.BoundedSemaphore(max(1, int(app.config["PASSWORD_HASH_CONCURRENCY"])))


def _verify(password_hash: str, password: str) -> None:
    with _hash_slots:
        _hasher.verify(password_hash, password)


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    with _hash_slots:
        return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        _verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
    return True


def generate_password() -> str:
    # 12 url-safe characters: ~72 bits, short enough to type from a printout.
    return secrets.token_urlsafe(9)


def create_user(username: str, password: str, role: str, *, opd_code: str | None = None,
                bidang_name: str | None = None, full_name: str = "",
                email: str | None = None) -> User:
    if role not in roles.STAFF_ROLES:
        raise AccountError(f"peran tidak dikenal: {role} (pilih {', '.join(roles.STAFF_ROLES)})")
    if User.select().where(User.username == username).exists():
        raise AccountError(f"nama pengguna sudah dipakai: {username}")
    if len(password) < 8:
        raise AccountError("kata sandi minimal 8 karakter")
    opd = bidang = None
    if role in (roles.OPERATOR, roles.PIMPINAN, roles.KABID):
        if not opd_code:
            raise AccountError(f"peran {role} memerlukan --opd")
        opd = Opd.get_or_none(Opd.code == opd_code.upper())
        if opd is None:
            raise AccountError(f"OPD tidak dikenal: {opd_code}")
    if role == roles.KABID:
        if not bidang_name:
            raise AccountError("peran kabid memerlukan --bidang")
        bidang = Bidang.get_or_none((Bidang.opd == opd) & (Bidang.name == bidang_name))
        if bidang is None:
            raise AccountError(f"bidang tidak dikenal di {opd.code}: {bidang_name}")
    opd, bidang = check_placement(role, opd, bidang)  # the rules the admin's edit form follows
    return User.create(username=username, password_hash=hash_password(password), role=role,
                       opd=opd, bidang=bidang, full_name=full_name or username, email=email)


_DUMMY_HASH = None


def spend_hash_time(password: str) -> None:
    """Verify against a throwaway hash, so a login for an unknown username
    takes as long as one with a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    try:
        _verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


class FieldError(AccountError):
    """Refused input for one field of the admin's account form."""

    def __init__(self, message, field):
        super().__init__(message)
        self.message = message
        self.field = field


def check_placement(role: str, opd: Opd | None, bidang: Bidang | None):
    """Where an account of `role` sits, by the same rules as `create_user`:
    operator and pimpinan need an OPD, a Kabid also a bidang of that OPD;
    admin and auditor are city-wide.  Returns (opd, bidang) to store."""
    if role not in roles.STAFF_ROLES:
        raise FieldError(_("Pilih peran yang tersedia."), "role")
    if role not in (roles.OPERATOR, roles.PIMPINAN, roles.KABID):
        return None, None
    if opd is None:
        raise FieldError(_("Peran %(role)s memerlukan OPD.", role=role), "opd")
    if role != roles.KABID:
        return opd, None
    if bidang is None:
        raise FieldError(_("Peran kabid memerlukan bidang."), "bidang")
    if bidang.opd_id != opd.id:
        raise FieldError(_("Bidang %(name)s bukan bagian dari %(opd)s.",
                           name=bidang.name, opd=opd.code), "bidang")
    return opd, bidang


def update_user(user: User, *, full_name: str, email: str, role: str,
                opd: Opd | None, bidang: Bidang | None) -> User:
    full_name, email = (full_name or "").strip(), (email or "").strip()
    if len(full_name) > 200:
        raise FieldError(_("Nama lengkap paling banyak 200 karakter."), "nama")
    if email and not is_email(email):
        raise FieldError(_("Tulis alamat email yang benar."), "email")
    opd, bidang = check_placement(role, opd, bidang)
    if role != roles.ADMIN:
        try:
            _keep_an_admin(user)
        except LastAdmin as exc:
            raise FieldError(str(exc), "role") from None
    values = {"full_name": full_name or user.username, "email": email or None, "role": role,
              "opd": opd.id if opd else None, "bidang": bidang.id if bidang else None}
    User.update(**values).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def reset_password(user: User) -> str:
    """Give the account a fresh generated password and return it (shown once).
    Whoever was logged in with the old one is logged out."""
    password = generate_password()
    User.update(password_hash=hash_password(password),
                session_generation=User.session_generation + 1).where(User.id == user.id).execute()
    return password


def set_active(user: User, active: bool) -> None:
    if not active:
        _keep_an_admin(user)
    values = {"active": active}
    if not active:
        values["session_generation"] = User.session_generation + 1
    User.update(**values).where(User.id == user.id).execute()


class LastAdmin(AccountError):
    """The change would leave the city without an active admin."""


def _keep_an_admin(user: User) -> None:
    """Refuse to demote or deactivate the last active admin: nobody could
    then manage accounts again without shell access to the server."""
    if user.role != roles.ADMIN or not user.active:
        return
    others = User.select().where((User.role == roles.ADMIN) & User.active
                                 & (User.id != user.id)).exists()
    if not others:
        raise LastAdmin(_("%(name)s adalah admin aktif terakhir. Jadikan akun lain admin "
                          "terlebih dahulu.", name=user.username))
