"""The console's data browser: the org's modules, a module's fields, its records (paged, searched
by word) and one record with its related lists. Read only; records are read through the record
model and the search service as the API reads them, as the org's administrator."""
