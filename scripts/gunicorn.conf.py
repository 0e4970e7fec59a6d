"""gunicorn settings of the application server (docs/deploy.md, `make loadtest`).

    gunicorn -c scripts/gunicorn.conf.py peg.wsgi:application

Every value can be changed from the environment: WEB_CONCURRENCY (processes),
GUNICORN_THREADS (threads per process), GUNICORN_BIND, GUNICORN_TIMEOUT.
"""

import os

# One process per core and one more: Python runs one thread at a time per process, so
# processes use the cores; a few threads each keep a process busy while one of its
# requests waits for the database, and keep browsers' connections open (keep-alive).
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# The whole-piano book runs in the task worker; 120 s covers the largest Excel import.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
keepalive = 5
# The application is loaded once, before forking: less memory, faster start; peg/wsgi.py
# freezes what it loaded for the garbage collector, so the workers keep sharing it.
preload_app = True
