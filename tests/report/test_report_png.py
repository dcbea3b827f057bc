"""The tests' PNG reader, checked against images of known content encoded by another library (vl-convert)."""

from __future__ import annotations

import pytest
import vl_convert
from png_support import png_size, read_png

HALF_RED = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="white"/><rect width="20" height="20" fill="#c62828"/></svg>'
)
BLANK = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10">'
    '<rect width="30" height="10" fill="white"/></svg>'
)


def test_a_half_red_image_reads_as_half_red() -> None:
    image = read_png(vl_convert.svg_to_png(HALF_RED))
    assert (image.width, image.height) == (40, 20) == png_size(vl_convert.svg_to_png(HALF_RED))
    assert image.non_white_share() == 0.5
    assert image.colours() == 2 and (198, 40, 40) in image.pixels
    assert image.variance() > 0


def test_a_blank_image_reads_as_blank() -> None:
    image = read_png(vl_convert.svg_to_png(BLANK))
    assert (image.non_white_share(), image.colours(), image.variance()) == (0.0, 1, 0.0)


def test_anything_else_is_refused() -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        read_png(b"GIF89a")
