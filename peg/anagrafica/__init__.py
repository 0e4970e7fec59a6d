"""The comune's anagrafica, set up from pages rather than the admin: the comune itself
(superusers), its settori with responsabili and servizi, its persone and their ruoli,
the invitation by e-mail and the import of the organigramma (the segreteria)."""
