"""Aduan: one complaint portal for every channel a city receives."""
import os
import secrets

from flask import Flask

from portal import config


def create_app(test_config: dict | None = None) -> Flask:
    instance = (test_config or {}).get("INSTANCE_PATH") or config.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.config.from_mapping(config.load(app.instance_path, test_config))
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        # Only reached without instance/config.py (make run writes one); a
        # per-process key keeps forms working but logs everyone out on restart.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
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
