import os

from django.core.wsgi import get_wsgi_application

from peg.memoria import congela

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peg.settings")
application = get_wsgi_application()

# Start-up done: what it loaded is frozen for the garbage collector (peg/memoria.py).
congela()
