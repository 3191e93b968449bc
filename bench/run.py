"""`make bench`: every benchmark in this folder, one after another, with its default sizes.

Each runs in its own process (`python -m bench.<name>`), so one bench's event loop, store or
logging set-up never colours the next one's numbers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        if path.stem in {"run", "__init__"}:
            continue
        print(f"== bench.{path.stem}", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{path.stem}"], check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
