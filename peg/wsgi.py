import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
application = get_wsgi_application()

# What start-up loaded (modules, settings, URL patterns, templates' code) lives as long as
# the process: frozen, the garbage collector stops walking it again at every collection.
# Loaded before gunicorn forks its workers (--preload), it also stays shared between them
# instead of being copied when the collector touches it. See docs/prestazioni.md.
gc.collect()
gc.freeze()
