"""Routes of the smvp pages (see individuale/urls.py)."""

urlpatterns = []
