"""One folder per CRM API resource, each the same few files: ``routes.py`` (HTTP, its ``ENDPOINTS``)
· ``rules.py`` (Zoho's rules as data and plain functions) · ``repo.py`` (SQL) · ``service.py`` (the
steps of an operation on a caller's connection, when there are several). ``endpoints.py`` lists
them all in match order; docs/adding-a-resource.md walks through adding one.
"""
