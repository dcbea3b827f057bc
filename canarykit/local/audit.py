"""The demos' audit record: one JSON file per run, named by its kind, the time and the process."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def write_audit_record(directory: Path, kind: str, record: dict[str, Any]) -> Path:
    """Write `record` to `<directory>/<kind>-<UTC time>-<pid>.json` (creating `directory`); its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{kind}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{os.getpid()}.json"
    path.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return path
