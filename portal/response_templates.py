"""Response templates (templat tanggapan) per category, for operators."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .db import BaseModel
from .models import Category, utcnow


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
