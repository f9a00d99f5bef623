"""Aduan: one complaint portal for every channel a city receives."""
import os
import secrets

from flask import Flask

from portal import config


def _serving() -> bool:
    """False only inside a `flask` command that serves no request (db upgrade,
    seed, init-instance, backup ...); `flask run`, gunicorn and any other
    WSGI server are serving."""
    import click

    context = click.get_current_context(silent=True)
    return context is None or context.info_name == "run"


def _check_secret_key(app) -> None:
    """Refuse to serve with a missing or known-default SECRET_KEY: anyone who
    knows the key can forge a staff session cookie.  `make run` writes a
    random one into instance/config.py; tests (TESTING) and commands that
    serve nothing get a throwaway key instead."""
    key = app.config.get("SECRET_KEY")
    if not config.weak_secret(key):
        return
    if _serving() and not app.config.get("TESTING"):
        raise config.ConfigError(
            "SECRET_KEY is missing or is a published example value: set a random one in "
            f"{app.instance_path}/config.py or the SECRET_KEY environment variable, e.g. "
            "python -c 'import secrets; print(secrets.token_hex(32))' (make run writes one).")
    app.config["SECRET_KEY"] = key or secrets.token_hex(32)


def create_app(test_config: dict | None = None) -> Flask:
    instance = (test_config or {}).get("INSTANCE_PATH") or config.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.config.from_mapping(config.load(app.instance_path, test_config))
    os.makedirs(app.instance_path, exist_ok=True)
    _check_secret_key(app)
    # Flask's defaults already hold these keys (as None), so setdefault would not apply.
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or (
        app.config["MAX_PHOTOS"] * app.config["MAX_PHOTO_BYTES"] + 1024 * 1024)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a slow phone may take an hour to type
    # Behind HTTPS set SESSION_COOKIE_SECURE = True in instance/config.py (or
    # ADUAN_SESSION_COOKIE_SECURE=1): the staff session then never travels in clear.
    app.config["SESSION_COOKIE_SECURE"] = config.flag(app.config.get("SESSION_COOKIE_SECURE"))

    if app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the proxies saw them: the login
        # lockout counts per real address and HSTS/secure cookies need https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    from portal import cli, db, logs
    from portal.accounts import auth, users
    from portal.plugins import manager as plugins
    from portal.tasks import app as tasks
    from portal.web import register_blueprints

    logs.init_app(app)
    db.init_app(app)
    tasks.configure(app.config)
    plugins.init_app(app)
    auth.init_app(app)
    users.init_app(app)
    cli.init_app(app)
    register_blueprints(app)
    return app
