"""A digest as JSON: the same data the Discord, Markdown and HTML renderings show, for other tools."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.digest import Digest


def plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples to JSON-ready dicts and lists; times as ISO 8601 UTC."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
        for extra in ("moved", "joined", "withdrew"):
            if hasattr(type(value), extra) and isinstance(getattr(type(value), extra), property):
                data[extra] = getattr(value, extra)
        return data
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def digest_json(digest: Digest) -> str:
    data = plain(digest)
    data["heading"] = digest.heading
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
