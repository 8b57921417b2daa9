"""Fixtures for these tests: ``api`` (the in-process client with an admin token)."""

from tests.resources.modules.support import api as api
