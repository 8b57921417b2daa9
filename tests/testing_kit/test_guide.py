"""Every example of docs/testing-your-integration.md runs, as the project a reader would make of it
(pytest-xdist is run on a project of its own in test_plugin.py)."""

from __future__ import annotations

import pytest

from tests.testing_kit.guide import count_tests, example_files

pytestmark = pytest.mark.sdk  # some examples drive the official Python SDK


@pytest.fixture
def project(pytester: pytest.Pytester) -> int:
    files = example_files()
    assert {"conftest.py", "pytest.ini", "test_sdk.py", "test_clock.py"} <= set(files)
    for name, body in files.items():
        pytester.path.joinpath(name).write_text(body)
    return count_tests(files)


def test_every_example_in_the_guide_passes(pytester: pytest.Pytester, project: int) -> None:
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=project)
