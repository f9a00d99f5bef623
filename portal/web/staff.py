"""Staff login and logout: /staf/masuk, /staf/keluar."""
import re
from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.accounts import lockout, users as accounts
from portal.accounts.auth import current_user, login_user, logout_user
from portal.accounts.models import User
from portal.web.forms import clean
from portal.web.rendering import render

bp = Blueprint("staff", __name__, url_prefix="/staf")


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), filters=[clean], validators=[
        DataRequired(_l("Nama pengguna wajib diisi.")), Length(max=64)])
    password = PasswordField(_l("Kata sandi"), validators=[
        DataRequired(_l("Kata sandi wajib diisi.")), Length(max=200)])


_PATH = re.compile(r"/[!-~]*")  # printable ASCII: no CR/LF to split the header with


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if (target and _PATH.fullmatch(target) and not target.startswith("//")
            and "\\" not in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("workspace.queue")


def _locked_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(num)d detik.",
                        "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(num)d detik.",
                        seconds)
    return ngettext("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(num)d menit.",
                    "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(num)d menit.",
                    -(-seconds // 60))


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if request.method == "GET" and current_user():
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        return render("staff/masuk.html", form=form, error=None,
                      status=422 if request.method == "POST" else 200)
    username, address = form.username.data, request.remote_addr
    wait = lockout.seconds_to_wait(username, address)
    if wait:
        return _refused(form, wait)
    user = User.get_or_none(User.username == username)
    if user is not None and user.active and accounts.check_password(user, form.password.data):
        lockout.clear(username, address)
        login_user(user)
        return redirect(_safe_next(request.args.get("next")), 303)
    if user is None:
        accounts.spend_hash_time(form.password.data)  # same time as a real check
    lockout.record_failure(username, address)
    wait = lockout.seconds_to_wait(username, address)
    if wait:
        return _refused(form, wait)
    return render("staff/masuk.html", form=form, status=401,
                  error=_("Nama pengguna atau kata sandi salah."))


def _refused(form, wait):
    response = render("staff/masuk.html", form=form, error=_locked_message(wait), status=429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/keluar", methods=["GET", "POST"])
def logout():
    # GET only shows the button: a link or an image must not log anyone out.
    if request.method == "POST":
        logout_user()
        return redirect(url_for(".login"), 303)
    return render("staff/keluar.html")
