"""The org's file store: ``/files`` (OAS files.json)."""
