"""Standalone functions called as REST APIs (``/functions/{name}/actions/execute``)."""
