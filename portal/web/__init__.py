"""The web layer: blueprints, forms, templates' helpers.  Views stay thin:
they read the request, call the domain, and render."""


def register_blueprints(app):
    from portal.web import (
        admin,
        admin_edit,
        citizen,
        connectors_admin,
        deadlines_admin,
        errors,
        health,
        hooks,
        i18n,
        limits,
        notifications,
        rendering,
        reporter,
        security,
        staff,
        workspace,
    )

    i18n.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    for module in (health, citizen, reporter, staff, workspace, admin, admin_edit, hooks,
                   connectors_admin, deadlines_admin, notifications):
        app.register_blueprint(module.bp)
