"""Needs and circumstances to ranked services, with reasons (docs/adr/0029).

The contract: `match(MatchRequest) -> MatchResult` (in `queries`); `MatchRefused` names the
field to fix. Importable from here too, lazily: Django imports this package before models
are ready.
"""

from typing import Any

_EXPORTS = {
    "match": "linkwell.matching.queries",
    "MatchRefused": "linkwell.matching.requests",
    "MatchRequest": "linkwell.matching.requests",
    "Match": "linkwell.matching.results",
    "MatchResult": "linkwell.matching.results",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
