"""Hypothesis as the reliability tests run it.

* ``DETERMINISTIC``: derandomized, so every run of the same code meets the same examples and a
  failure is reproducible from the test name alone (Hypothesis also draws constants it finds in the
  loaded project modules, so running one file alone, or editing the code, may change the examples);
  no example database; no deadline (a two-core machine answers slowly now and then, which is not what
  these tests are about).
* Hypothesis keeps caches under ``.hypothesis`` in the working directory, even without a database;
  importing this module points it at a temporary folder instead, so no run leaves one in the checkout.
  Every module that builds strategies imports this one first.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

_HOME = Path(tempfile.mkdtemp(prefix="zcrm-hypothesis-"))
set_hypothesis_home_dir(_HOME)
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

SUPPRESSED = (HealthCheck.too_slow, HealthCheck.data_too_large)  # big bodies on purpose, slow machine
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, suppress_health_check=SUPPRESSED)
