"""The error a bad search parameter or value gets: it names the parameter, what is wrong, what
is accepted and the nearest accepted values ("did you mean")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..errors import BclmError


class SearchError(BclmError):
    """A parameter or value the search does not accept (HTTP 400)."""

    def __init__(self, parameter: str, message: str, accepted: Iterable[str] = (),
                 suggestions: Iterable[str] = ()) -> None:
        self.parameter = parameter
        self.message = message
        self.accepted = sorted(set(accepted), key=str.casefold)
        self.suggestions = list(suggestions)
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"parameter {parameter!r}: {message}.{hint}")

    def as_dict(self) -> dict:
        return {"error": str(self), "parameter": self.parameter, "message": self.message,
                "accepted": self.accepted, "did_you_mean": self.suggestions}


def near(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The accepted spellings closest to ``word`` (case-insensitive)."""
    by_key: dict[str, str] = {}
    for choice in choices:
        by_key.setdefault(choice.casefold(), choice)
    keys = difflib.get_close_matches(word.casefold(), list(by_key), n=n, cutoff=0.6)
    return [by_key[k] for k in keys]
