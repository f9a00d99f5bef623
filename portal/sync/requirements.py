"""What each channel requires before a response is published.

Implements `aduan_publish_requirements` for the connectors: every channel a
complaint is linked to is asked (`Connector.publish_requirements`) whether
it would accept the response, so the operator reads the channel's reason
when pressing "Publikasikan", not later as a dead letter.
"""
import logging

from portal.complaints import workflow
from portal.complaints.models import Attachment, TimelineEvent
from portal.plugins.hookspecs import hookimpl
from portal.sync import config as sync_config
from portal.sync.connector import Publication
from portal.sync.models import ExternalRef

log = logging.getLogger("aduan.sync")


def _follow_up_photos(complaint) -> int:
    """Photos of the last follow-up: the outbox sends them with the response."""
    last = (TimelineEvent.select(TimelineEvent.id)
            .where((TimelineEvent.complaint == complaint)
                   & TimelineEvent.kind.in_(workflow.FOLLOW_UP_ACTIONS))
            .order_by(TimelineEvent.id.desc()).first())
    if last is None:
        return 0
    return Attachment.select().where(Attachment.event == last.id).count()


@hookimpl
def aduan_publish_requirements(complaint, photos):
    refs = list(ExternalRef.select().where(ExternalRef.complaint == complaint.id))
    if not refs:
        return []
    count = photos + _follow_up_photos(complaint)
    messages = []
    for ref in refs:
        connector = sync_config.connector(ref.channel)
        if connector is None:
            continue  # uninstalled: nothing will be sent there either
        config = sync_config.resolve(connector.info())
        if not config["active"]:
            continue
        publication = Publication(external_id=ref.external_id, complaint_code=complaint.code,
                                  classification=complaint.classification,
                                  status=workflow.SELESAI, photos=count)
        messages += connector.publish_requirements(config, publication) or []
    return messages
