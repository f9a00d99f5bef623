# gunicorn settings for Aduan: gunicorn -c deploy/gunicorn.conf.py wsgi:app
# (pip install '.[production]' brings gunicorn).  See deploy/README.md.
import multiprocessing
import os

# nginx in front, on the same host: listen on loopback only.
bind = os.environ.get("ADUAN_BIND", "127.0.0.1:8000")

# Threads, not only processes: a request mostly waits on the database.
# Each process caps its argon2 checks at PASSWORD_HASH_CONCURRENCY (2 x
# 64 MiB), so the memory of a login storm is workers x 128 MiB at most.
workers = int(os.environ.get("ADUAN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("ADUAN_THREADS", 4))
worker_class = "gthread"

# A photo upload on a slow phone connection takes a while; nginx buffers
# the body first (client_max_body_size), so gunicorn sees it whole.
timeout = 60
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then: a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# Logs to stdout/stderr: journald (systemd) keeps them.
accesslog = "-"
errorlog = "-"
# Trust X-Forwarded-* only from nginx on this host; the app itself applies
# them through TRUSTED_PROXIES (ProxyFix), so gunicorn does not need to.
forwarded_allow_ips = "127.0.0.1"
