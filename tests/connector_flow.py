"""Driving a complaint through the portal workflow in connector tests."""
import io

from images import image_bytes
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.complaints.photos import store_photo
from portal.directory.models import Opd


def forward(complaint: Complaint, opd_code: str = "DPUPR") -> Complaint:
    if complaint.status == "baru":
        opd = complaint.opd or Opd.get(Opd.code == opd_code)
        complaints.perform(complaint, "teruskan", role="admin", actor="Admin", opd=opd)
    return Complaint.get_by_id(complaint.id)


def answer(complaint: Complaint, upload_folder: str, text: str, photo: bool = True) -> Complaint:
    """From baru or diteruskan to a published answer with a follow-up photo."""
    complaint = forward(complaint)
    complaints.perform(complaint, "laporkan", role="operator", actor="Operator")
    photos = [store_photo(io.BytesIO(image_bytes("JPEG", (640, 480))), upload_folder)] if photo else []
    complaints.perform(complaint, "jawab", role="pimpinan", actor="Pimpinan", text=text,
                       photos=photos)
    complaints.perform(complaint, "publikasikan", role="operator", actor="Operator", text=text)
    return Complaint.get_by_id(complaint.id)
