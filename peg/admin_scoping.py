"""Admin restricted to the comuni where the user is segreteria (superusers see all).

From each model's lookup to its comune (``percorso_comune``, read through
``peg.access``) the admin derives what a user may list, which choices a form offers,
and that an object never points at another comune's records.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet

from indicators.engine.formatting import compatto

from .access import (
    comune_di,
    comuni_segreteria,
    ha_comune,
    nel_comune,
    percorso,
    utenti_assegnabili,
)
from .forms import DecimaleItaliano
from .models import Comune


class DecimaleAdmin(DecimaleItaliano):
    """A number in an admin form as on the pages: a text input written and read the
    Italian way ("12,5", "23000"), shown without trailing zeros, so that a form saved
    as it was keeps its values."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 10})

    def prepare_value(self, value):
        return compatto(value) if isinstance(value, Decimal) else value


def scope(user, queryset: QuerySet) -> QuerySet:
    if user.is_superuser:
        return queryset
    return nel_comune(queryset, comuni_segreteria(user))


class SameComuneForm(forms.ModelForm):
    """Refuses links to records of another comune than the object's own."""

    def clean(self):
        cleaned = super().clean()
        own = self._own_comune(cleaned)
        if own is None:
            return cleaned
        for name, value in list(cleaned.items()):  # add_error() removes the field
            items = value if isinstance(value, QuerySet | list | tuple) else [value]
            for item in items:
                if ha_comune(type(item)) and name != self._first_step:
                    other = comune_di(item)
                    if other is not None and other.pk != own.pk:
                        self.add_error(name, f"«{item}» appartiene a un altro comune ({other}).")
        return cleaned

    @property
    def _first_step(self) -> str:
        return percorso(self._meta.model).split("__")[0]

    def _own_comune(self, cleaned) -> Comune | None:
        path = percorso(self._meta.model)
        if not path:
            return self.instance if self.instance.pk else None
        first = cleaned.get(self._first_step) or getattr(self.instance, self._first_step, None)
        if first is None:
            return None
        return first if isinstance(first, Comune) else comune_di(first)


class ComuneScopedMixin:
    form = SameComuneForm

    @property
    def comune_path(self) -> str:
        return percorso(self.model)

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and not db_field.choices:
            return db_field.formfield(form_class=DecimaleAdmin, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit(self, db_field, request, kwargs):
        model = db_field.related_model
        if ha_comune(model):
            queryset = scope(request.user, model._default_manager.all())
            if model is not Comune and hasattr(model, "comune"):
                queryset = queryset.select_related("comune")
            kwargs["queryset"] = queryset
        elif model is get_user_model():
            kwargs["queryset"] = utenti_assegnabili(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        first = self.comune_path.split("__")[0]
        # Moving an object to another comune would strand what hangs off it.
        if obj is not None and first:
            readonly += (first,)
        return readonly


class ScopedInline(ComuneScopedMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return admin.TabularInline.get_readonly_fields(self, request, obj)


def anno_filter(path: str, title: str = "anno"):
    """A list filter on a year, offering only the years of the rows the user may see."""

    class AnnoFilter(admin.SimpleListFilter):
        parameter_name = path

        def lookups(self, request, model_admin):
            anni = model_admin.get_queryset(request).values_list(path, flat=True)
            return [(anno, anno) for anno in sorted(set(anni) - {None})]

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    AnnoFilter.title = title
    return AnnoFilter
