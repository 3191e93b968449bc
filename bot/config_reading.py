"""Reading the configuration: the TOML file, the CONCORD_* environment, and the one line each problem becomes.

`bot.settings` declares the keys; this module reads their sources and words what goes wrong, so every
problem is one `config: <key>: <message>` line (the file itself is the key when it cannot be read).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeGuard, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import EnvSettingsSource, SettingsError

from bot.config_values import FromEnvironment, toml_value

ENV_PREFIX = "CONCORD_"
ENV_DELIMITER = "__"

#: What the environment gave in the current `Settings.load`, to say so when one of its values is refused.
_environment_data: ContextVar[dict[str, Any] | None] = ContextVar("concord_environment_data", default=None)


class ConfigError(Exception):
    """A configuration problem, worded as one line that names the key."""


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, or one ConfigError line saying why it cannot be had."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise ConfigError(f"config: {path} is a symbolic link to {target}, which does not exist") from None
        raise ConfigError(f"config: file {path} not found") from None
    except IsADirectoryError:
        raise ConfigError(f"config: {path} is a folder, not a configuration file") from None
    except PermissionError:
        raise ConfigError(f"config: {path} cannot be read: permission denied") from None
    except OSError as exc:
        raise ConfigError(f"config: {path} cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"config: {path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path} is not valid TOML: {exc}") from None


# --- the environment -----------------------------------------------------------------------------


class _NotJson(ValueError):
    """An environment value for a list or a table that is not JSON."""

    def __init__(self, key: str, field: FieldInfo | None, value: str) -> None:
        super().__init__(key)
        self.key, self.value = key, value
        listed = field is not None and get_origin(field.annotation) in (list, tuple)
        self.example = 'a JSON list, such as ["a", "b"]' if listed else 'a JSON object, such as {"key": "value"}'


class EnvironmentSource(EnvSettingsSource):
    """CONCORD_<SECTION>__<KEY> variables, their text read the way each key says (`FromEnvironment`)."""

    def __call__(self) -> dict[str, Any]:
        data = _read_texts(self.settings_cls, super().__call__())
        _environment_data.set(data)
        return data

    def decode_complex_value(self, field_name: str, field: FieldInfo, value: Any) -> Any:
        try:
            return super().decode_complex_value(field_name, field, value)
        except ValueError:
            raise _NotJson(field_name, field, value) from None


def _read_texts(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    read: dict[str, Any] = {}
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is not None and isinstance(value, str):
            parse = next((item.parse for item in field.metadata if isinstance(item, FromEnvironment)), None)
            value = parse(value) if parse else value
        elif field is not None and isinstance(value, dict) and _is_model(field.annotation):
            value = _read_texts(field.annotation, value)
        read[key] = value
    return read


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@contextmanager
def reading_environment() -> Iterator[None]:
    """Keep what the environment gives during one `Settings.load`, for `describe_validation_error`."""
    reset = _environment_data.set(None)
    try:
        yield
    finally:
        _environment_data.reset(reset)


def _environment_variable(loc: tuple[int | str, ...]) -> str | None:
    """The variable that set the value at `loc`, if the environment set it."""
    node: Any = _environment_data.get()
    for part in loc:
        listed = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (listed or (isinstance(node, dict) and part in node)):
            return None
        node = node[part]
    names = list(loc[: next((i for i, part in enumerate(loc) if isinstance(part, int)), len(loc))])
    present = {name.upper() for name in os.environ}
    for length in range(len(names), 0, -1):
        variable = ENV_PREFIX + ENV_DELIMITER.join(str(name) for name in names[:length]).upper()
        if variable in present:
            return variable
    return None


# --- the one line --------------------------------------------------------------------------------

#: Pydantic's words for a value of the wrong kind, in the words of TOML.
_KINDS = {
    "int_type": "must be a whole number",
    "string_type": "must be text in quotes",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a table",
    "dict_type": "must be a table",
}


def toml_key(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem as `config: <key>: <message>`, the key written as in the TOML file."""
    error = exc.errors()[0]
    if error["type"] == "extra_forbidden":
        message = "unknown key (check its spelling against config.example.toml)"
    elif error["type"] == "missing":
        message = "missing: this key is required"
    elif error["type"] in _KINDS:
        message = f"{_KINDS[error['type']]}, not {toml_value(error['input'])}"
    elif error["type"] == "enum":
        message = f"{error['msg']}, not {toml_value(error['input'])}"
    else:
        message = error["msg"].removeprefix("Value error, ")
    variable = _environment_variable(error["loc"])
    if variable:
        message += f" (from {variable})"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"config: {toml_key(error['loc']) or 'settings'}: {message}{suffix}"


def describe_environment_error(exc: SettingsError) -> str:
    """An environment value the settings could not even parse (a list or table that is not JSON)."""
    cause = exc.__cause__
    if isinstance(cause, _NotJson):
        for name, value in os.environ.items():
            if name.upper().startswith(ENV_PREFIX) and name.lower().endswith(cause.key) and value == cause.value:
                key = name[len(ENV_PREFIX) :].lower().replace(ENV_DELIMITER, ".")
                return f"config: {key}: {name} must hold {cause.example}, not {toml_value(value)}"
    return f"config: environment: {exc}"
