"""Spec sources (a file path or YAML text) as UTF-8 bytes, refused clearly when too big or not UTF-8/UTF-16.

Encodings as kubectl reads a file: UTF-8, with or without a byte-order mark, and UTF-16 with a byte-order
mark (decoded). UTF-32, UTF-16 without a byte-order mark and invalid UTF-8 are refused, naming the file and
the first bad byte. Size: at most `MAX_SOURCE_BYTES` (3 MiB) per file or text, the Kubernetes API server's
request-body limit.
"""

from __future__ import annotations

import os
from pathlib import Path

from canarykit.errors import SpecError

Source = str | os.PathLike[str]

MAX_SOURCE_BYTES = 3 * 1024 * 1024
MAX_PATH_LENGTH = 4096
TEXT_NAME = "<text>"
UTF8_BOM = b"\xef\xbb\xbf"
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
SAVE_AS_UTF8 = "save it as UTF-8"
NEWLINE = b"\n"


def read_source(source: Source) -> tuple[str, bytes]:
    """A name for messages (the path, or `<text>`) and the source as UTF-8 bytes without a byte-order mark."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = _path(source)
        return str(path), utf8_bytes(_read_file(path), str(path))
    if isinstance(source, str):
        return TEXT_NAME, _text_bytes(source)
    raise SpecError(f"expected a file path or YAML text, got {type(source).__name__}")


def utf8_bytes(data: bytes, name: str) -> bytes:
    """`data` (a file's bytes) as UTF-8 without a byte-order mark; other encodings are a `SpecError`."""
    if data.startswith(UTF32_BOMS):
        raise SpecError(f"{name}: UTF-32 is not supported ({SAVE_AS_UTF8})")
    codec = UTF16_BOMS.get(data[:2])
    if codec is not None:
        return _from_utf16(data[2:], codec, name)
    data = data.removeprefix(UTF8_BOM)
    if b"\x00" in data:
        without_bom = "as UTF-16 or UTF-32 without a byte-order mark does"
        raise SpecError(f"{name}: contains NUL bytes, {without_bom} ({SAVE_AS_UTF8})")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = f"byte {error.start}, line {data.count(NEWLINE, 0, error.start) + 1}"
        raise SpecError(f"{name}: not valid UTF-8 at {where} ({SAVE_AS_UTF8})") from None
    return data


def too_large(name: str) -> SpecError:
    return SpecError(
        f"{name}: larger than 3 MiB ({MAX_SOURCE_BYTES} bytes, the Kubernetes API server's request limit)"
    )


def _looks_like_path(source: str) -> bool:
    if "\n" in source or not source.strip() or len(source) > MAX_PATH_LENGTH:
        return False
    return os.path.exists(source) or ":" not in source


def _path(source: Source) -> Path:
    location = os.fspath(source)
    if not isinstance(location, str):
        raise SpecError(f"expected a file path or YAML text, got a {type(location).__name__} path")
    return Path(location)


def _read_file(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise SpecError(f"cannot read {path}: {error.strerror or error}") from error
    except ValueError as error:  # a NUL character in the path
        raise SpecError(f"cannot read {path!r}: {error}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise too_large(str(path))
    return data


def _from_utf16(data: bytes, codec: str, name: str) -> bytes:
    try:
        return data.decode(codec).encode("utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(f"{name}: not valid UTF-16 at byte {error.start + 2} ({SAVE_AS_UTF8})") from None


def _text_bytes(text: str) -> bytes:
    if len(text) > MAX_SOURCE_BYTES:
        raise too_large(TEXT_NAME)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        where = f"character {error.start}, line {text.count(chr(10), 0, error.start) + 1}"
        raise SpecError(f"{TEXT_NAME}: not valid Unicode at {where} (a lone surrogate)") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise too_large(TEXT_NAME)
    return data.removeprefix(UTF8_BOM)
