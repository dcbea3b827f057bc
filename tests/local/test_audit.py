"""The demos' audit record: one JSON file per run, in a directory made on demand."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from canarykit.local.audit import write_audit_record


def test_the_record_is_written_as_json_named_by_kind_time_and_process(tmp_path: Path) -> None:
    directory = tmp_path / "not" / "yet"
    path = write_audit_record(directory, "bluegreen-demo", {"experiments": [{"at": Path("/x")}]})
    assert path.parent == directory
    assert re.fullmatch(rf"bluegreen-demo-\d{{8}}T\d{{6}}Z-{os.getpid()}\.json", path.name)
    assert json.loads(path.read_text(encoding="utf-8")) == {"experiments": [{"at": "/x"}]}  # str() otherwise
