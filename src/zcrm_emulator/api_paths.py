"""The shape of the CRM API's paths: the versions it answers under ``/crm/{version}``, and the first
segments that are not module api names (so ``/{module}`` never swallows them, and no custom module
may take one as its api name)."""

from __future__ import annotations

VERSIONS: tuple[str, ...] = ("v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8")

# First path segments that are not module api names, so /{module} never swallows them.
RESERVED_SEGMENTS = ("settings", "users", "org", "actions", "coql", "__apis", "bulk", "__features")
