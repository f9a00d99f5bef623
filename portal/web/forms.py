"""The citizen's complaint form.  Every message is Indonesian first."""
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal import contact
from portal.complaints import workflow
from portal.inputs import MAX_ID, is_phone, parse_id, parse_int, strip_control

__all__ = ["MAX_ID", "parse_id", "parse_int", "clean", "ComplaintForm"]


def clean(value):
    if isinstance(value, str):
        return strip_control(value).strip()
    return value


def _coordinate(low, high, name):
    def validate(form, field):
        if not field.data:
            return
        try:
            number = float(field.data.replace(",", "."))
        except ValueError:
            raise ValidationError(_l("%(name)s harus berupa angka.", name=name)) from None
        if not low <= number <= high:
            raise ValidationError(_l("%(name)s harus antara %(low)s dan %(high)s.",
                                     name=name, low=low, high=high))
    return validate


CONTACT_MESSAGES = {
    "format": _l("Tulis alamat email atau nomor HP yang benar, misalnya budi@contoh.id "
                 "atau 0812-3456-7890."),
    "phone_length": _l("Nomor HP terlalu pendek atau terlalu panjang: tulis 10 sampai 13 "
                       "angka, misalnya 0812-3456-7890."),
    "phone_country": _l("Tulis nomor Indonesia yang diawali 08, 62, atau +62, "
                        "misalnya 0812-3456-7890."),
}


def new_submission_token() -> str:
    """The form's idempotency token: one complaint per page, however often sent."""
    return secrets.token_urlsafe(24)


class ComplaintForm(FlaskForm):
    judul = StringField(_l("Judul"), filters=[clean], validators=[
        DataRequired(_l("Judul wajib diisi.")),
        Length(min=5, max=200, message=_l("Judul 5 sampai 200 karakter."))])
    isi = TextAreaField(_l("Isi laporan"), filters=[clean], validators=[
        DataRequired(_l("Isi laporan wajib diisi.")),
        Length(min=20, max=5000, message=_l("Isi laporan 20 sampai 5.000 karakter."))])
    kategori = SelectField(_l("Kategori"), coerce=str, validate_choice=False,
                           validators=[DataRequired(_l("Pilih salah satu kategori."))])
    klasifikasi = SelectField(_l("Jenis laporan"), default="pengaduan", validate_choice=False,
                              choices=[SelectChoice(k, v) for k, v in workflow.CLASSIFICATION_LABELS.items()])
    lokasi = StringField(_l("Lokasi"), filters=[clean], validators=[
        Optional(), Length(max=300, message=_l("Lokasi paling banyak 300 karakter."))])
    lat = StringField(_l("Lintang"), filters=[clean],
                      validators=[_coordinate(-90, 90, _l("Lintang"))])
    lon = StringField(_l("Bujur"), filters=[clean],
                      validators=[_coordinate(-180, 180, _l("Bujur"))])
    nama = StringField(_l("Nama"), filters=[clean], validators=[
        Optional(), Length(max=120, message=_l("Nama paling banyak 120 karakter."))])
    kontak = StringField(_l("Email atau nomor HP"), filters=[clean], validators=[Optional()])
    anonim = BooleanField(_l("Anonim: identitas saya tidak ditampilkan ke OPD"))
    rahasia = BooleanField(_l("Rahasia: isi laporan tidak ditampilkan ke publik"))
    # Offered only when WhatsApp is configured (the template hides it otherwise).
    wa = BooleanField(_l("Kirim kabar lewat WhatsApp ke nomor HP ini"))
    foto = MultipleFileField(_l("Foto (paling banyak 3)"))
    lokasi_foto = BooleanField(_l("Pakai lokasi yang tersimpan di foto untuk Lintang/Bujur"))
    token = HiddenField()

    def __init__(self, *args, categories=(), **kwargs):
        """`categories`: Category rows, or (id, label) pairs as
        portal.directory.models.category_choices gives them."""
        super().__init__(*args, **kwargs)
        pairs = [(c.id, c.label) if hasattr(c, "label") else c for c in categories]
        self.kategori.choices = [SelectChoice("", _l("— pilih kategori —"))] + [
            SelectChoice(str(i), label) for i, label in pairs]
        if not self.token.data:
            self.token.data = new_submission_token()

    def validate_kategori(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError(_l("Pilih salah satu kategori."))

    def validate_klasifikasi(self, field):
        if field.data not in workflow.CLASSIFICATIONS:
            raise ValidationError(_l("Pilih jenis laporan yang tersedia."))

    def validate_kontak(self, field):
        """Stored normalised: a phone number as +62…, an email with its domain
        in lower case, so the same person is the same contact everywhere."""
        if len(field.data or "") > 200:
            raise ValidationError(_l("Kontak paling banyak 200 karakter."))
        try:
            field.data = contact.normalize(field.data)
        except contact.ContactInvalid as exc:
            raise ValidationError(CONTACT_MESSAGES[exc.reason]) from None
        if self.wa.data and not is_phone(field.data or ""):
            raise ValidationError(_l("Untuk kabar lewat WhatsApp, tulis nomor HP."))

    def validate_lon(self, field):
        if bool(self.lat.data) != bool(field.data):
            raise ValidationError(_l("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))

    def validate_token(self, field):
        if not field.data or len(field.data) > 64:
            raise ValidationError(_l("Formulir tidak lengkap. Muat ulang halaman."))

    def uploads(self):
        """The files actually chosen (browsers send one empty part when none is)."""
        return [f for f in (self.foto.data or []) if f and getattr(f, "filename", "")]

    def complaint_fields(self) -> dict:
        lat = float(self.lat.data.replace(",", ".")) if self.lat.data else None
        lon = float(self.lon.data.replace(",", ".")) if self.lon.data else None
        return {
            "title": self.judul.data,
            "body": self.isi.data,
            "category": parse_id(self.kategori.data),
            "classification": self.klasifikasi.data,
            "location": self.lokasi.data or "",
            "lat": lat,
            "lon": lon,
            "reporter_name": self.nama.data or "",
            "reporter_contact": self.kontak.data or "",
            "anonymous": bool(self.anonim.data),
            "confidential": bool(self.rahasia.data),
            "notify_whatsapp": bool(self.wa.data),
            "channel": "web",
        }
