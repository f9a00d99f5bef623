"""The web layer: blueprints, forms, templates' helpers.  Views stay thin:
they read the request, call the domain, and render."""

from werkzeug.routing import IntegerConverter

from portal.inputs import MAX_ID


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits (werkzeug's \\d also takes
    other scripts' digits) and a value a database id column can hold, so
    /staf/admin/opd/99999999999999999999 is a 404, not an overflow."""

    regex = r"[0-9]{1,19}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app):
    # Before any rule is added: rules bind their converter when added.
    app.url_map.converters["int"] = RowIdConverter
    from portal.web import (
        admin,
        admin_edit,
        citizen,
        connectors_admin,
        dashboard,
        deadlines_admin,
        errors,
        exports,
        health,
        hooks,
        i18n,
        limits,
        notifications,
        open311,
        push,
        rendering,
        reporter,
        security,
        staff,
        statistik,
        whatsapp_hook,
        workspace,
    )

    i18n.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    for module in (health, citizen, reporter, staff, workspace, admin, admin_edit, hooks,
                   connectors_admin, deadlines_admin, notifications, statistik, open311,
                   exports, dashboard, whatsapp_hook, push):
        app.register_blueprint(module.bp)
