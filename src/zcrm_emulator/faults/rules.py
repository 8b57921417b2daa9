"""Fault rules: what a rule is, how one is read from JSON, which requests it matches and which of
its matching calls it answers. Plain data and plain functions; the store and the ASGI side are in
``repo.py`` and ``middleware.py``.

A rule, on the wire and in ``Emulator.faults.inject(**rule)``::

    match    method "GET" · path "/crm/v8/Leads*" (a glob; exact without * ? [) · module "Leads"
             (the path segment after the version, or the ``module`` parameter) · client (the OAuth
             client id: the token's client on the CRM face, ``client_id`` on the accounts server)
             · token (the access token in ``Authorization: Zoho-oauthtoken``)
    answer   error "INVALID_TOKEN" (a catalogue code: its status and body from errors.py;
             ``status``, ``details`` override them) · accounts_error "invalid_code" or "Access
             Denied" (the accounts server's HTTP 200 bodies, accounts/errors.py) · latency_ms
             (before the answer, alone or with an error) · drop (the connection closes unanswered)
    when     after K (the first K matching calls pass) · times N (then N calls answer, then the
             rule is spent) · probability p with seed s (each matching call by a fixed draw)

The control plane (``/_emulator/...``) is never faulted: it is how faults are removed.
"""

from __future__ import annotations

import fnmatch
import math
import random
from dataclasses import dataclass
from typing import Any, get_args

from zcrm_emulator.accounts.errors import AccountsError
from zcrm_emulator.errors import ErrorCode, ZohoError

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
MAX_LATENCY_MS = 60_000  # a minute: beyond any client's sensible timeout
MATCH_KEYS = ("method", "path", "module", "client", "token")
COUNTED = ("id", "created_ms", "matched", "fired")  # kept by the emulator, never given
ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))


def _accounts_errors() -> dict[str, type[AccountsError]]:
    found: dict[str, type[AccountsError]] = {}
    pending = list(AccountsError.__subclasses__())
    while pending:
        cls = pending.pop()
        found[cls.error] = cls
        pending += cls.__subclasses__()
    return found


ACCOUNTS_ERRORS = _accounts_errors()


@dataclass(frozen=True)
class Fault:
    """One rule and its counts across every worker: ``matched`` calls seen, ``fired`` answered."""

    id: str
    created_ms: int
    method: str | None = None
    path: str | None = None
    module: str | None = None
    client: str | None = None
    token: str | None = None
    error: str | None = None
    status: int | None = None
    details: dict[str, Any] | None = None
    accounts_error: str | None = None
    latency_ms: int = 0
    drop: bool = False
    after: int = 0
    times: int | None = None
    probability: float | None = None
    seed: int = 0
    matched: int = 0
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def spec(self) -> dict[str, Any]:
        """The rule as given (what the store keeps in ``data``), without id and counts."""
        keys = (*MATCH_KEYS, "error", "status", "details", "accounts_error", "latency_ms", "drop")
        out = {key: getattr(self, key) for key in keys if getattr(self, key) not in (None, 0, False)}
        out.update({"after": self.after, "times": self.times, "probability": self.probability, "seed": self.seed})
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.spec(),
            "created_ms": self.created_ms,
            "matched": self.matched,
            "fired": self.fired,
            "spent": self.spent,
        }

    def zoho_error(self) -> ZohoError | None:
        if self.error is None:
            return None
        code: ErrorCode = self.error  # type: ignore[assignment]  # checked against ErrorCode by parse()
        return ZohoError(code, dict(self.details or {}), status=self.status)

    def accounts_body(self) -> dict[str, Any] | None:
        return None if self.accounts_error is None else ACCOUNTS_ERRORS[self.accounts_error]().body()


def _invalid(name: str, **details: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", {"api_name": name, **details})


def _text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise _invalid(name, expected_data_type="string")
    return value


def _integer(body: dict[str, Any], name: str, *, low: int, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        limits: dict[str, Any] = {"minimum": low} if high is None else {"minimum": low, "maximum": high}
        raise _invalid(name, expected_data_type="integer", **limits)
    return value


def parse(body: dict[str, Any], *, fault_id: str, now_ms: int) -> Fault:
    """A rule from its JSON (the control plane's body or the Python API's keywords); INVALID_DATA
    naming the first key that is wrong, MANDATORY_NOT_FOUND when the rule does nothing."""
    unknown = sorted(set(body) - set(Fault.__dataclass_fields__) | (set(body) & set(COUNTED)))
    if unknown:
        raise _invalid(unknown[0])
    method = _text(body, "method")
    if method is not None and method.upper() not in METHODS:
        raise _invalid("method", supported_values=sorted(METHODS))
    error = _text(body, "error")
    if error is not None and error not in ERROR_CODES:
        raise _invalid("error")
    accounts_error = _text(body, "accounts_error")
    if accounts_error is not None and accounts_error not in ACCOUNTS_ERRORS:
        raise _invalid("accounts_error", supported_values=sorted(ACCOUNTS_ERRORS))
    details = body.get("details")
    if details is not None and (not isinstance(details, dict) or error is None):
        raise _invalid("details", expected_data_type="jsonobject")
    status = _integer(body, "status", low=100, high=599)
    if status is not None and error is None:
        raise _invalid("status")
    drop = body.get("drop", False)
    if not isinstance(drop, bool):
        raise _invalid("drop", expected_data_type="boolean")
    if sum((error is not None, accounts_error is not None, drop)) > 1:
        raise ZohoError("AMBIGUITY_DURING_PROCESSING", {"ambiguity_due_to": ["error", "accounts_error", "drop"]})
    latency_ms = _integer(body, "latency_ms", low=0, high=MAX_LATENCY_MS) or 0
    if error is None and accounts_error is None and not drop and not latency_ms:
        raise ZohoError("MANDATORY_NOT_FOUND", {"api_name": "error"})
    probability = body.get("probability")
    if probability is not None and (
        isinstance(probability, bool)
        or not isinstance(probability, int | float)
        or not math.isfinite(probability)
        or not 0 < probability <= 1
    ):
        raise _invalid("probability", expected_data_type="double", minimum=0, maximum=1)
    return Fault(
        id=fault_id,
        created_ms=now_ms,
        method=None if method is None else method.upper(),
        path=_text(body, "path"),
        module=_text(body, "module"),
        client=_text(body, "client"),
        token=_text(body, "token"),
        error=error,
        status=status,
        details=details,
        accounts_error=accounts_error,
        latency_ms=latency_ms,
        drop=drop,
        after=_integer(body, "after", low=0) or 0,
        times=_integer(body, "times", low=1),
        probability=None if probability is None else float(probability),
        seed=_integer(body, "seed", low=-(2**63)) or 0,
    )


def from_stored(fault_id: str, created_ms: int, matched: int, fired: int, data: dict[str, Any]) -> Fault:
    return Fault(id=fault_id, created_ms=created_ms, matched=matched, fired=fired, **data)


@dataclass(frozen=True)
class Target:
    """What a request offers to match on; ``client`` is looked up only when a rule asks for it."""

    method: str
    path: str
    module: str | None
    token: str | None
    face: str


def path_matches(pattern: str, path: str) -> bool:
    """A glob when the pattern has ``*``, ``?`` or ``[``; else the exact path."""
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(path, pattern)
    return pattern == path


def matches(fault: Fault, target: Target, client: str | None) -> bool:
    """Every key the rule names matches (the client is passed only for rules that name one)."""
    return (
        (fault.method is None or fault.method == target.method)
        and (fault.path is None or path_matches(fault.path, target.path))
        and (fault.module is None or (target.module or "").lower() == fault.module.lower())
        and (fault.token is None or fault.token == target.token)
        and (fault.client is None or fault.client == client)
        # An accounts-server body only makes sense there; a CRM error anywhere else.
        and (fault.accounts_error is None or target.face == "accounts")
    )


def fires(fault: Fault, nth: int, fired: int) -> bool:
    """Whether the ``nth`` matching call (1-based, counted across workers) is answered, ``fired``
    calls having been answered before it. The probability draw depends on the seed and ``nth``
    only, so a run repeats whatever the timing or the number of workers."""
    if nth <= fault.after or (fault.times is not None and fired >= fault.times):
        return False
    if fault.probability is None:
        return True
    return random.Random(f"{fault.seed}:{nth}").random() < fault.probability
