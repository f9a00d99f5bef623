"""Who is logged in.  The login page itself lives in the staff blueprint;
this module is what every staff view and template relies on.

The session cookie is signed, not stored, so by itself it could not be
revoked before it expires.  It therefore carries the account's session
generation at login, and every request compares it with the database:
raising the generation (`end_sessions`) ends every session of that account
at once, including a cookie someone copied.
"""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from portal.accounts.models import User
from portal.db import first_compiled

SESSION_KEY = "user_id"
GENERATION_KEY = "gen"


def login_user(user: User) -> None:
    session.clear()  # a fresh session on login defeats session fixation
    session[SESSION_KEY] = user.id
    session[GENERATION_KEY] = user.session_generation
    session.permanent = True
    g.user = user


def end_sessions(user: User) -> None:
    """End every session of `user`, on every device, now."""
    User.update(session_generation=User.session_generation + 1).where(
        User.id == user.id).execute()


def logout_user() -> None:
    # Ending all of the account's sessions, not only this cookie: a copy of
    # the cookie (a shared PC, a stolen backup) must not outlive "Keluar".
    user = current_user()
    if user is not None:
        end_sessions(user)
    session.clear()
    g.user = None


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get(SESSION_KEY)
        # Every staff request asks: its SQL is compiled once (portal.db.first_compiled).
        user = (first_compiled("user_by_id", User.select().where(User.id == user_id), user_id)
                if isinstance(user_id, int) else None)
        valid = (user is not None and user.active
                 and session.get(GENERATION_KEY) == user.session_generation)
        if user_id is not None and not valid:
            session.clear()  # a revoked session: drop the cookie too
        g.user = user if valid else None
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
