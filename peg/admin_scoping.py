"""Admin restricted to the comuni where the user is segreteria (superusers see all)."""

from django.contrib import admin

from .models import Comune, Ruolo


def comuni_segreteria(user):
    if user.is_superuser:
        return Comune.objects.all()
    return Comune.objects.filter(ruoli__utente=user, ruoli__tipo=Ruolo.Tipo.SEGRETERIA)


class ComuneScopedMixin:
    """``comune_path`` is the lookup from the model to its Comune ("" for Comune itself)."""

    comune_path = "comune"

    def _scope(self, request, queryset, path):
        if request.user.is_superuser:
            return queryset
        lookup = f"{path}__in" if path else "pk__in"
        return queryset.filter(**{lookup: comuni_segreteria(request.user)}).distinct()

    def get_queryset(self, request):
        return self._scope(request, super().get_queryset(request), self.comune_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit(self, db_field, request, kwargs):
        path = COMUNE_PATHS.get(db_field.related_model)
        if path is not None:
            kwargs["queryset"] = self._scope(request, db_field.related_model.objects.all(), path)


class ScopedInline(ComuneScopedMixin, admin.TabularInline):
    extra = 0


# Lookup from each tenant model to its comune, used to narrow choice lists.
COMUNE_PATHS: dict = {Comune: ""}


def register_path(model, path: str) -> None:
    COMUNE_PATHS[model] = path
