"""Error pages in Indonesian.  No input may produce a bare 500."""
from flask import request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError, CSRFProtect
from peewee import InterfaceError, OperationalError
from playhouse.pool import MaxConnectionsExceeded
from werkzeug.exceptions import HTTPException

from portal.web.rendering import render

csrf = CSRFProtect()

MESSAGES = {
    400: lambda: _("Permintaan tidak dapat diproses. Periksa kembali isian Anda."),
    403: lambda: _("Anda tidak berwenang membuka halaman ini."),
    404: lambda: _("Halaman atau kode pelacakan tidak ditemukan."),
    405: lambda: _("Cara membuka halaman ini tidak didukung."),
    409: lambda: _("Aksi tidak dapat dilakukan pada keadaan sekarang."),
    413: lambda: _("Berkas yang dikirim terlalu besar. Setiap foto paling besar 10 MB, "
                   "paling banyak 3 foto. Kembali, perkecil atau kurangi fotonya, lalu kirim lagi."),
    429: lambda: _("Terlalu banyak percobaan. Coba lagi beberapa saat lagi."),
}


def error_page(code: int, message: str | None = None):
    return render("error.html", status=code, code=code,
                  message=message or MESSAGES.get(code, MESSAGES[400])())


def init_app(app):
    csrf.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        if request.endpoint == "citizen.submit":
            # Keep what the citizen typed: show the form again with a new token.
            from portal.web.citizen import _categories, render_form
            from portal.web.forms import ComplaintForm

            form = ComplaintForm(categories=_categories(), meta={"csrf": True})
            form.validate()
            form.form_errors.append(_("Formulir kedaluwarsa. Periksa isian Anda lalu kirim lagi."))
            return render_form(form, 400)
        return error_page(400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman "
                                 "lalu coba lagi."))

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc):
        if request.endpoint == "citizen.submit":
            return error_page(429, _(
                "Terlalu banyak laporan dikirim dari jaringan atau kontak yang sama dalam waktu "
                "singkat. Laporan ini belum tersimpan. Tunggu beberapa menit, lalu kembali ke "
                "halaman sebelumnya dan kirim lagi."))
        return error_page(429)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code and exc.code < 400:
            return exc
        return error_page(exc.code or 500, MESSAGES.get(exc.code, lambda: exc.description)())

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(MaxConnectionsExceeded)
    def database_unavailable(exc):
        # The database restarted, dropped this connection, or stayed busy past
        # the wait: a passing condition the client may retry, not a bug.  The
        # pool discards the broken connection when the request ends.
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                           exc)
        response = error_page(503, _("Layanan sedang sibuk. Isian Anda tidak hilang: tunggu "
                                     "sebentar, lalu kirim atau muat ulang halaman ini."))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_page(500, _("Terjadi kesalahan di server. Isian Anda tidak hilang: "
                                 "kembali ke halaman sebelumnya dan kirim lagi."))
