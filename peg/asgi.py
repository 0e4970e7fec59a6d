import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
application = get_asgi_application()

# What start-up loaded lives as long as the process: frozen, the garbage collector stops
# walking it again at every collection (see peg/wsgi.py and docs/prestazioni.md).
gc.collect()
gc.freeze()
