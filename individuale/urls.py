"""The individual evaluation's routes: the SMVP, the schede individuali, the premi."""

from . import urls_premi, urls_schede, urls_smvp

urlpatterns = urls_smvp.urlpatterns + urls_schede.urlpatterns + urls_premi.urlpatterns
