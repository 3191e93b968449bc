"""`make bench`: every benchmark in this folder, one after another, with its default sizes.

Each runs in its own process (`python -m bench.<name>`), so one bench's event loop, store or
logging set-up never colours the next one's numbers. A bench that fails is named at the end, after the
others have run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    failed: list[str] = []
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        if path.stem in {"run", "__init__"}:
            continue
        print(f"== bench.{path.stem}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", f"bench.{path.stem}"], check=False)
        print(f"== bench.{path.stem}: {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(path.stem)
    if failed:  # every bench still runs: one that fails never hides the others' figures
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
