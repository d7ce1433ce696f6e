"""The domain error every service raises: one translatable message, optionally per field,
that pages show as a form error and the API returns as 400 with the same text."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the programme was broken (a date before the superior plan's, a locked
    document changed…). ``message`` is already translated for the user; ``field`` names the
    form field it belongs to, if any; ``details`` lists objects that explain it (e.g. the
    plans a date change would invalidate)."""

    def __init__(
        self,
        message: Any,
        *,
        field: str | None = None,
        details: list[Any] | None = None,
        code: str = "invalid",
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details or []
        self.code = code

    def as_api_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"detail": str(self.message), "code": self.code}
        if self.field:
            data[self.field] = [str(self.message)]
        if self.details:
            data["details"] = [str(d) for d in self.details]
        return data
