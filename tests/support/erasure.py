"""Looking for a member in the database files byte by byte, after an erasure."""

from __future__ import annotations

from pathlib import Path


def file_bytes(db_path: Path) -> bytes:
    """The database as it lies on disk: the main file and its write-ahead log, if any."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def traces(db_path: Path, user_id: int, name: str | None = None) -> list[str]:
    """Each encoding of the member found in the files: their id as text, as a 64-bit integer in either
    byte order (SQLite's record format stores a snowflake as 8 big-endian bytes), and their name."""
    data = file_bytes(db_path)
    encodings = {
        "id as text": str(user_id).encode(),
        "id, 8 bytes big-endian": user_id.to_bytes(8, "big", signed=True),
        "id, 8 bytes little-endian": user_id.to_bytes(8, "little", signed=True),
    }
    if name:
        encodings["name (UTF-8)"] = name.encode()
    return [what for what, needle in encodings.items() if needle in data]
