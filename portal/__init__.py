"""Aduan: one complaint portal for every channel a city receives."""
import os
import secrets

from flask import Flask

from . import settings


def create_app(test_config: dict | None = None) -> Flask:
    instance = (test_config or {}).get("INSTANCE_PATH") or settings.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.config.from_mapping(settings.load(app.instance_path, test_config))
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        # Only reached without instance/config.py (make run writes one); a
        # per-process key keeps forms working but logs everyone out on restart.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.config.setdefault("MAX_CONTENT_LENGTH",
                          app.config["MAX_PHOTOS"] * app.config["MAX_PHOTO_BYTES"] + 1024 * 1024)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    # Flask's defaults already hold the key (as None), so setdefault would not apply.
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a slow phone may take an hour to type
    # Behind HTTPS set SESSION_COOKIE_SECURE = True in instance/config.py (or
    # ADUAN_SESSION_COOKIE_SECURE=1): the staff session then never travels in clear.
    app.config["SESSION_COOKIE_SECURE"] = settings.truthy(app.config.get("SESSION_COOKIE_SECURE"))

    from . import accounts, auth, cli, db, i18n, plugins, rendering
    from .web import citizen, errors, health

    db.init_app(app)
    auth.init_app(app)
    accounts.init_app(app)
    plugins.init_app(app)
    i18n.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(citizen.bp)
    from .web import admin, connectors_admin, deadlines_admin, hooks, notifications, reporter, staff, workspace

    app.register_blueprint(reporter.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(workspace.bp)
    app.register_blueprint(admin.bp)

    app.register_blueprint(hooks.bp)
    app.register_blueprint(connectors_admin.bp)
    app.register_blueprint(deadlines_admin.bp)
    app.register_blueprint(notifications.bp)
    from .web import admin_edit

    app.register_blueprint(admin_edit.bp)
    return app
