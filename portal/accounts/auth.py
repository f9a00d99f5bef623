"""Who is logged in.  The login page itself lives in the staff blueprint;
this module is what every staff view and template relies on."""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from portal.accounts.models import User

SESSION_KEY = "user_id"


def login_user(user: User) -> None:
    session.clear()  # a fresh session on login defeats session fixation
    session[SESSION_KEY] = user.id
    session.permanent = True
    g.user = user


def logout_user() -> None:
    session.clear()
    g.user = None


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get(SESSION_KEY)
        user = User.get_or_none(User.id == user_id) if user_id else None
        g.user = user if user and user.active else None
    return g.user


def staff_required(*roles):
    """Require a logged-in staff member, optionally with one of `roles`.

    Anonymous visitors go to the login page (and come back afterwards);
    a logged-in user without the role gets 403.
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def init_app(app):
    app.jinja_env.globals["current_user"] = current_user
