"""Routes of the premi pages (see individuale/urls.py)."""

urlpatterns = []
