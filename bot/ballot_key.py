"""The secret ballots' server secret: from CONCORD_BALLOT_KEY, else a key file beside the database.

The secret is never in the database, so the database file alone cannot tell who cast a secret ballot
(bot/core/ballot_keys.py says how keys are derived). Without CONCORD_BALLOT_KEY the first start writes
32 random bytes, base64, to `<database folder>/<database name without suffix>.ballot-key` (concord.db:
concord.ballot-key), readable by its owner alone. A key file that others may read or write, or that does
not hold a key, stops start-up with one line rather than be used or replaced: replacing the secret while
a secret poll is open would make every voter new to it.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.config_values import parse_secret
from bot.core.ballot_keys import MIN_SECRET_BYTES, BallotKeys
from bot.settings import BALLOT_KEY_ENV, Settings
from bot.store import Store

log = logging.getLogger(__name__)

KEY_FILE_SUFFIX = ".ballot-key"


class BallotKeyError(Exception):
    """The server secret cannot be had, or is not the one the open secret polls were created under: one line."""


def key_file_path(database: Path) -> Path:
    """Beside the database, under a name its backups' `concord.db*` does not match."""
    path = database.with_suffix(KEY_FILE_SUFFIX)
    return path if path != database else database.with_name(database.name + KEY_FILE_SUFFIX)


def load_ballot_keys(settings: Settings) -> BallotKeys:
    """The server secret from CONCORD_BALLOT_KEY, else from the key file (written on first use)."""
    if settings.ballot_key is not None:
        return BallotKeys(settings.ballot_key.get_secret_value())
    path = key_file_path(settings.database.path)
    try:
        return BallotKeys(_read_key_file(path))
    except FileNotFoundError:
        return BallotKeys(_create_key_file(path))


def _read_key_file(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise BallotKeyError(
                f"ballot key file {path}: is a symbolic link to {target}, which does not exist"
            ) from None
        raise
    if stat.S_ISDIR(info.st_mode):
        raise BallotKeyError(f"ballot key file {path}: is a folder, not a key file")
    if os.name == "posix" and info.st_mode & 0o077:
        raise BallotKeyError(
            f"ballot key file {path}: others may read or write it (mode {stat.S_IMODE(info.st_mode):04o}); "
            f"make it its owner's alone: chmod 600 {path}"
        )
    try:
        text = path.read_text(encoding="ascii")
    except PermissionError:
        raise BallotKeyError(f"ballot key file {path}: cannot be read: permission denied") from None
    except UnicodeDecodeError:
        text = ""  # not a key, whatever it is
    try:
        return parse_secret(text, MIN_SECRET_BYTES)
    except ValueError as exc:
        raise BallotKeyError(
            f"ballot key file {path}: is not a ballot key: {exc}. If no secret poll is open, delete it and a "
            f"new one is made; else restore it (or set {BALLOT_KEY_ENV})"
        ) from None


def _create_key_file(path: Path) -> bytes:
    secret = secrets.token_bytes(MIN_SECRET_BYTES)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another start wrote it meanwhile: use that one
        return _read_key_file(path)
    except OSError as exc:
        raise BallotKeyError(f"ballot key file {path}: cannot be created ({exc.strerror or exc})") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(secret).decode("ascii") + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    log.info("wrote a new ballot key file, %s: keep it, and keep it out of the database's backups", path)
    return secret


async def check_ballot_keys(store: Store, keys: BallotKeys, settings: Settings) -> None:
    """Refuse a server secret that is not the one an open secret poll was created under.

    Its voters' keys would all come out different: a member who voted could vote again.
    """
    for poll_id, seed in (await store.open_ballot_seeds()).items():
        if not keys.opens(seed):
            source = (
                BALLOT_KEY_ENV if settings.ballot_key else f"ballot key file {key_file_path(settings.database.path)}"
            )
            raise BallotKeyError(
                f"{source}: is not the key the open secret poll (id {poll_id}) was created with; restore that key "
                "(its votes could not be told apart from new ones)"
            )
