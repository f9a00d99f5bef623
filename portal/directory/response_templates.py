"""Response templates (templat tanggapan) per category, for operators."""
from flask_babel import gettext as _
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from portal.clock import utcnow
from portal.db import BaseModel
from portal.directory.errors import DirectoryError
from portal.directory.models import Category


class ResponseTemplate(BaseModel):
    category = ForeignKeyField(Category, null=True, backref="response_templates",
                               on_delete="CASCADE")  # None: usable for every category
    title = CharField(max_length=120)
    body = TextField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "response_template"


def for_category(category_id) -> list[ResponseTemplate]:
    query = ResponseTemplate.select().where(
        (ResponseTemplate.category == category_id) | ResponseTemplate.category.is_null())
    return list(query.order_by(ResponseTemplate.title))


def update(template: ResponseTemplate, title: str, body: str, category) -> ResponseTemplate:
    """Change a template; refused input raises `directory.DirectoryError`."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 120:
        raise DirectoryError(_("Judul templat wajib diisi, paling banyak 120 karakter."), "judul")
    if not body or len(body) > 5000:
        raise DirectoryError(_("Isi templat wajib diisi, paling banyak 5.000 karakter."), "isi")
    (ResponseTemplate.update(title=title, body=body, category=category.id if category else None)
     .where(ResponseTemplate.id == template.id).execute())
    return ResponseTemplate.get_by_id(template.id)


def delete(template: ResponseTemplate) -> None:
    # Responses already published keep their text: templates are only a starting point.
    template.delete_instance()
