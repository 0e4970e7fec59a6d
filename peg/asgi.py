import os

from django.core.asgi import get_asgi_application

from peg.memoria import congela

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
application = get_asgi_application()

# Start-up done: what it loaded is frozen for the garbage collector (peg/memoria.py).
congela()
