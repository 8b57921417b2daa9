"""The OAS coverage count sees bulk write's job endpoints under /crm/bulk/v8 and its upload under
/crm/v8."""

from __future__ import annotations

from tests.support.oas_operations import Operation, covers, served_endpoints


def test_every_bulk_write_operation_is_served() -> None:
    served = served_endpoints()
    for file, path, method in (
        ("bulk_write.json", "/crm/v8/upload", "POST"),
        ("bulk_write.json", "/crm/bulk/v8/write", "POST"),
        ("bulk_write.json", "/crm/bulk/v8/write/{job_id}", "GET"),
    ):
        assert any(covers(Operation(file, path, method), endpoint) for endpoint in served), path
    assert not any(covers(Operation("bulk_write.json", "/crm/v8/write", "POST"), e) for e in served)
