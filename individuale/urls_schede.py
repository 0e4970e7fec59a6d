"""Routes of the schede pages (see individuale/urls.py)."""

urlpatterns = []
