# Copy to instance/config.py (make run writes one with a random SECRET_KEY).
# Every key may also be set by environment variable: ADUAN_<KEY>, and
# DATABASE_URL / HUEY_URL / SECRET_KEY as they are.

SECRET_KEY = "change-me: python -c 'import secrets; print(secrets.token_hex(32))'"

# Default: SQLite file instance/aduan.db.  PostgreSQL:
# DATABASE_URL = "postgresql://aduan@127.0.0.1:5432/aduan"

# Default: SqliteHuey file instance/huey.db.  Redis:
# HUEY_URL = "redis://127.0.0.1:6379/0"

CITY_NAME = "Kota Serang"
TIMEZONE = "Asia/Jakarta"  # WIB; Asia/Makassar (WITA), Asia/Jayapura (WIT)

# Behind HTTPS, send the session cookie only over HTTPS:
# SESSION_COOKIE_SECURE = True

# Notices to staff and citizens beyond the in-app list (docs/notifications.md).
# BASE_URL = "https://aduan.serangkota.go.id"  # the deep links in every notice
# WHATSAPP_TOKEN = "..."
# WHATSAPP_PHONE_NUMBER_ID = "..."
# WHATSAPP_APP_SECRET = "..."
# WHATSAPP_VERIFY_TOKEN = "..."
# SMS_GATEWAY_URL = "https://sms.example.co.id/api/send"
# VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY: flask --app portal vapid-keys
