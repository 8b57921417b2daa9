"""``/settings/sharing_rules`` (sharing rules), in the kit's shapes: ``routes.py`` (HTTP: params, the envelope,
one result per item through ``batch.attempt`` and ``batch.answer``), ``rules.py`` (Zoho's rules as
data: the create and update ``Spec``s), ``service.py`` (the steps of a create or an update on the
caller's connection) and ``repo.py`` (SQL: one ``SettingsDocuments`` over the ``sharing_rules`` table).
"""
