"""Receiving complaints and writing their history.

Every change to a complaint goes through `record` (history only) or
`perform` (a workflow transition), so the timeline is complete and plugins
see every event inside the same transaction.
"""
from pathlib import Path

from peewee import IntegrityError

from portal.clock import utcnow
from portal.complaints import resubmission, tracking, workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.complaints.photos import StoredPhoto
from portal.complaints.storage import storage_for
from portal.db import database, first_compiled, write_transaction
from portal.plugins import manager as plugins

CODE_ATTEMPTS = 5


def find_by_submission_token(token: str | None) -> Complaint | None:
    if not token:
        return None
    return first_compiled("by_token", Complaint.select().where(Complaint.submission_token == token),
                          token)


def submit(fields: dict, photos: list[StoredPhoto] = (), *, actor: str = "Pelapor",
           submission_token: str | None = None, received_at=None,
           sender: resubmission.Sender | None = None) -> tuple[Complaint, bool]:
    """Create a complaint with its first event and photos.

    `received_at` (a channel's received time) dates the "dibuat" event, so
    an imported complaint's timeline says when the city really got it.

    Returns (complaint, created).  A second submission with the same token
    returns the first complaint, so a double tap or a resent form makes one;
    with a `sender`, so does the same content from the same sender within
    the hour (portal.complaints.resubmission), whatever its token.
    """
    if fields.get("status", workflow.INITIAL_STATUS) != workflow.INITIAL_STATUS:
        # A complaint that is further along got there by transitions
        # (`perform`), so the timeline and every requirement hold for it too.
        raise ValueError(f"a new complaint starts as {workflow.INITIAL_STATUS!r}")
    existing = find_by_submission_token(submission_token)
    if existing:
        return existing, False
    from portal.directory import severity

    digest = resubmission.content_hash(fields)
    fields = {**fields, "severity": severity.for_new_complaint(fields), "content_hash": digest}
    if sender is not None:
        fields["submitter"] = sender.submitter
    for attempt in range(CODE_ATTEMPTS):
        try:
            with write_transaction():
                if sender is not None:
                    resubmission.claim(digest)
                    first = resubmission.earlier(digest, sender)
                    if first is not None:
                        return first, False
                complaint = Complaint.create(
                    code=tracking.new_code(), submission_token=submission_token or None, **fields
                )
                event = record(complaint, "dibuat", actor, public=True,
                               text="", status_after=complaint.status,
                               created_at=received_at)
                for photo in photos:
                    attach(complaint, photo, event=event)
            return complaint, True
        except IntegrityError:
            # Either the same form arrived twice at once, or (rarely) the
            # random code collided; the token tells which.
            existing = find_by_submission_token(submission_token)
            if existing:
                return existing, False
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def attach(complaint: Complaint, photo: StoredPhoto, *, event=None, public=True) -> Attachment:
    return Attachment.create(complaint=complaint, event=event, filename=photo.filename,
                             width=photo.width, height=photo.height, size=photo.size,
                             public=public)


def record(complaint: Complaint, kind: str, actor: str, *, text: str = "", public: bool = False,
           actor_user=None, status_after: str | None = None,
           opd_code: str | None = None, created_at=None) -> TimelineEvent:
    """Append one event to the timeline and let plugins react in this transaction.

    `created_at` dates an event that happened elsewhere earlier (a channel's
    history); by default it is now."""
    with write_transaction():
        event = TimelineEvent.create(complaint=complaint, kind=kind, actor=actor,
                                     actor_user=actor_user, text=text, public=public,
                                     status_after=status_after, opd_code=opd_code,
                                     **({"created_at": created_at} if created_at else {}))
        plugins.manager().hook.aduan_timeline_event(complaint=complaint, event=event)
    return event


def perform(complaint: Complaint, action: str, *, role: str, actor: str, actor_user=None,
            text: str = "", public: bool | None = None, photos: list[StoredPhoto] = (),
            bidang=(), **changes) -> TimelineEvent:
    """Apply a workflow transition: check it, change status, record it.

    The status is re-read under the transaction so two people pressing
    buttons at once cannot both move the same complaint from the same state.
    A staff `actor_user` is also checked for OPD membership (and a Kabid for
    the disposition), and every action for what it must carry.  `public`
    defaults to what the workflow says about the action.
    """
    from portal.complaints import dispositions

    with write_transaction():
        fresh = Complaint.get_by_id(complaint.id)
        t = workflow.check(action, fresh.status, role)
        if actor_user is not None:
            workflow.check_scope(actor_user, fresh.opd_id, dispositions.bidang_ids(fresh))
        workflow.check_input(action, _provided(fresh, text, photos, bidang, changes),
                             fresh.classification)
        if any(b.opd_id != fresh.opd_id for b in bidang):
            raise workflow.InputMissing(workflow.REQUIREMENT_MESSAGES["bidang"])
        if action == "publikasikan":
            _check_channels(fresh, len(photos))
        changes = {**workflow.RESETS.get(action, {}), **changes}
        updated = (Complaint
                   .update(status=t.target, updated_at=utcnow(), **changes)
                   .where((Complaint.id == fresh.id) & (Complaint.status == fresh.status))
                   .execute())
        if updated != 1:
            raise workflow.TransitionRefused(workflow.transition(action).label)
        complaint.status = t.target
        for key, value in changes.items():
            setattr(complaint, key, value)
        if public is None:
            public = action not in workflow.INTERNAL_ACTIONS
        sent_to = changes.get("opd")
        if action == "disposisi":
            # Before the event: its plugins notify the Kabid of these bidang.
            dispositions.replace(fresh, bidang, text, actor_user)
        event = record(complaint, action, actor, text=text, public=public,
                       actor_user=actor_user, status_after=t.target,
                       opd_code=sent_to.code if sent_to else None)
        for photo in photos:
            attach(complaint, photo, event=event, public=public)
        if action == "publikasikan":
            _publish_follow_up_photos(complaint)
        return event


def publish_refusals(complaint: Complaint, photos: int = 0) -> list[str]:
    """What the channels the response goes to would refuse (SP4N: a photo, a
    template code), with `photos` uploaded along with the publication."""
    results = plugins.manager().hook.aduan_publish_requirements(complaint=complaint, photos=photos)
    return [message for result in results for message in result or ()]


def _check_channels(complaint: Complaint, photos: int) -> None:
    """Refuse now, so the operator learns why, not from a dead letter later."""
    refusals = publish_refusals(complaint, photos)
    if refusals:
        raise workflow.InputMissing(" ".join(refusals))


def _provided(complaint, text, photos, bidang, changes) -> set:
    facts = {"text": bool(text and text.strip()), "photo": bool(photos), "bidang": bool(bidang),
             "opd": bool(changes.get("opd")), "budget_year": bool(changes.get("budget_year")),
             "follow_up_photo": bool(photos) or follow_up_documented(complaint)}
    return {name for name, present in facts.items() if present}


def follow_up_documented(complaint: Complaint) -> bool:
    """Whether the follow-up a response would publish is documented by a photo."""
    latest = (TimelineEvent.select(TimelineEvent.id)
              .where((TimelineEvent.complaint == complaint)
                     & TimelineEvent.kind.in_(workflow.FOLLOW_UP_ACTIONS))
              .order_by(TimelineEvent.id.desc()).first())
    return latest is not None and latest.attachments.exists()


def _publish_follow_up_photos(complaint: Complaint) -> None:
    """The published response shows the photos that document the follow-up."""
    follow_ups = (TimelineEvent.select(TimelineEvent.id)
                  .where((TimelineEvent.complaint == complaint)
                         & TimelineEvent.kind.in_(workflow.FOLLOW_UP_ACTIONS)))
    (Attachment.update(public=True)
     .where((Attachment.complaint == complaint) & Attachment.event.in_(follow_ups))
     .execute())


def with_directory():
    """Complaints with their category and OPD joined (pages show both names)."""
    from peewee import JOIN

    from portal.directory.models import Category, Opd

    return (Complaint.select(Complaint, Category, Opd)
            .join(Category, JOIN.LEFT_OUTER, on=(Complaint.category == Category.id))
            .switch(Complaint).join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id)))


def by_code(code: str) -> Complaint | None:
    """The complaint with this (normalized) tracking code, its category and OPD joined."""
    return first_compiled("by_code", with_directory().where(Complaint.code == code), code)


def page_version(code: str) -> tuple[int, tuple[int, int]] | None:
    """(id, version of its public page) of the complaint with this code, or None.

    The version combines the complaint's own counter and row 0's, which
    counts changes to OPDs and categories (their names are on the page).

    One indexed read without building a model: the tracking page asks it
    first, and a page already rendered for that version is served as it is.
    The version is kept by the triggers of migration 130.
    """
    db = database.obj
    row = db.execute_sql(
        "SELECT c.id, COALESCE(v.version, 0), "
        "COALESCE((SELECT version FROM page_version WHERE complaint_id = 0), 0) "
        f"FROM complaint c LEFT JOIN page_version v ON v.complaint_id = c.id WHERE c.code = {db.param}",
        (code,)).fetchone()
    return (row[0], (row[1], row[2])) if row else None


def timeline(complaint: Complaint) -> list:
    """Every event of a complaint in time order, public or not."""
    return list(complaint.events.order_by(TimelineEvent.created_at, TimelineEvent.id))


def public_events(complaint: Complaint):
    return (complaint.events.where(TimelineEvent.public == True)  # noqa: E712
            .order_by(TimelineEvent.created_at, TimelineEvent.id))


def photo_path(upload_folder: str, filename: str) -> Path:
    return storage_for(upload_folder).path(filename)
