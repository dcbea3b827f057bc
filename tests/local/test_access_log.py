"""Parsing the canarykit nginx access log; following it through partial lines, truncation and rotation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from canarykit.local.access_log import LogFollower, LogRecord, parse_line, served_by

LINE = "1732600000.123|200|0.002|127.0.0.1:34567|GET|/color"


def test_a_good_line() -> None:
    assert parse_line(LINE) == LogRecord(1732600000.123, 200, 0.002, "127.0.0.1:34567", "GET", "/color")


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_the_line_ending_is_optional(ending: str) -> None:
    assert parse_line(LINE + ending) == parse_line(LINE)


def test_no_upstream_is_none() -> None:
    record = parse_line("1732600000.000|404|0.000|-|GET|/missing")
    assert record is not None and record.upstream is None and record.status == 404


@pytest.mark.parametrize(
    ("upstream_addr", "served"),
    [
        ("127.0.0.1:1, 127.0.0.1:2", "127.0.0.1:2"),
        ("127.0.0.1:1, 127.0.0.1:2, 127.0.0.1:3", "127.0.0.1:3"),
        ("127.0.0.1:1, 127.0.0.1:2 : 127.0.0.1:9", "127.0.0.1:9"),
        ("[::1]:8080", "[::1]:8080"),
        ("unix:/run/app.sock", "unix:/run/app.sock"),
        ("127.0.0.1:1, -", None),
        ("-", None),
        ("", None),
    ],
)
def test_the_last_upstream_served_the_request(upstream_addr: str, served: str | None) -> None:
    assert served_by(upstream_addr) == served
    record = parse_line(f"1.5|502|0.010|{upstream_addr}|POST|/x")
    assert record is not None and record.upstream == served


def test_a_pipe_in_the_uri_stays_in_the_path() -> None:
    record = parse_line("1.0|200|0.001|127.0.0.1:1|GET|/a|b|c")
    assert record is not None and record.path == "/a|b|c"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "garbage",
        "1732600000.123|200|0.002|127.0.0.1:1|GET",  # a field short
        "abc|200|0.002|127.0.0.1:1|GET|/",
        "1732600000.123|20|0.002|127.0.0.1:1|GET|/",
        "1732600000.123|2000|0.002|127.0.0.1:1|GET|/",
        "1732600000.123|2x0|0.002|127.0.0.1:1|GET|/",
        "1732600000.123|２００|0.002|127.0.0.1:1|GET|/",  # non-ASCII digits
        "1732600000.123|200|-1|127.0.0.1:1|GET|/",
        "1732600000.123|200|nan|127.0.0.1:1|GET|/",
        "1732600000.123|200|inf|127.0.0.1:1|GET|/",
        "1732600000.123|200|1e3|127.0.0.1:1|GET|/",
        "1732600000.123|200|1.2.3|127.0.0.1:1|GET|/",
        "1732600000.123|200||127.0.0.1:1|GET|/",
        "1732600000.123|400|0.000|-||",  # nginx's own 400 for an unparseable request line
        "1732600000.123|200|0.002|127.0.0.1:1|G ET|/",
        "1732600000.123|200|0.002|127.0.0.1:1|GÉT|/",
        "\x00\xff|||||",
    ],
)
def test_malformed_lines_are_none(text: str) -> None:
    assert parse_line(text) is None


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as log:
        log.write(text)


def test_a_missing_file_reads_nothing_until_it_appears(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    follower = LogFollower(path)
    assert follower.read_lines() == []
    _append(path, "one\ntwo\n")
    assert follower.read_lines() == ["one", "two"]
    assert follower.read_lines() == []
    assert follower.offset == 8


def test_a_partial_line_waits_for_its_end(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    follower = LogFollower(path)
    _append(path, "one\ntw")
    assert follower.read_lines() == ["one"]
    _append(path, "o")
    assert follower.read_lines() == []
    _append(path, "\nthree\n")
    assert follower.read_lines() == ["two", "three"]


def test_truncation_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    follower = LogFollower(path)
    _append(path, "one\ntwo\npart")
    assert follower.read_lines() == ["one", "two"]
    path.write_text("new\n")  # copytruncate: the same inode, shorter
    assert follower.read_lines() == ["new"]
    assert follower.offset == 4


def test_rotation_finishes_the_old_file_then_reads_the_new_one(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    follower = LogFollower(path)
    _append(path, "one\n")
    assert follower.read_lines() == ["one"]
    rotated = tmp_path / "access.log.1"
    os.rename(path, rotated)
    _append(rotated, "two\n")  # nginx writes to the old file until it reopens its logs
    assert follower.read_lines() == ["two"]  # no file at `path`: keep reading the old one
    _append(rotated, "three\n")
    _append(path, "four\nfive\n")
    assert follower.read_lines() == ["three", "four", "five"]
    _append(path, "six\n")
    assert follower.read_lines() == ["six"]


def test_a_replaced_file_is_read_from_its_start(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    follower = LogFollower(path)
    _append(path, "a much longer first line\n")
    assert follower.read_lines() == ["a much longer first line"]
    replacement = tmp_path / "new.log"
    replacement.write_text("x\n")
    os.replace(replacement, path)
    assert follower.read_lines() == ["x"]


def test_from_end_skips_what_is_already_there(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    _append(path, "old\n")
    follower = LogFollower(path, from_end=True)
    assert follower.read_lines() == []
    _append(path, "new\n")
    assert follower.read_lines() == ["new"]


def test_bad_bytes_are_replaced_and_close_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    path.write_bytes(b"caf\xe9\n")
    with LogFollower(path) as follower:
        assert follower.read_lines() == ["caf\ufffd"]
        follower.close()
        assert follower.read_lines() == ["caf\ufffd"]
