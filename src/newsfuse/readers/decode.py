"""Bytes to text: size limit, binary detection, encoding detection (mixed encodings too)."""

from __future__ import annotations

from charset_normalizer import from_bytes

from newsfuse.errors import InputError
from newsfuse.text import BIDI_CONTROLS

MAX_BYTES = 50 * 2**20

# A text file has almost no control characters; a share above this is a binary file.
_MAX_CONTROL_SHARE = 0.01
# Text in UTF-16 or UTF-32 without a byte-order mark: the high bytes of nearly every character
# are zero when the text is mostly Latin script.
_WIDE_ZEROS = 0.9


def decode(name: str, data: bytes) -> str:
    """Decode ``data`` or raise `InputError` saying why it is not usable text."""
    if len(data) > MAX_BYTES:
        raise InputError(name, f"input is larger than {MAX_BYTES // 2**20} MB; split it")
    if not data.strip():
        raise InputError(name, "empty input")
    text = _tidy(_text(name, data))
    if not text.strip():
        raise InputError(name, "empty input (only blanks and control characters)")
    return text


def _text(name: str, data: bytes) -> str:
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            return data.decode(wide)
        except UnicodeDecodeError as err:
            raise InputError(name, f"looks like {wide.upper()} but is not") from err
    if _looks_binary(data):
        raise InputError(name, "binary data, not text, HTML or JSON Lines")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_unknown(data)


# C0 control characters other than tab and newline, DEL, and the C1 block: no text means them;
# they are blanked so that no later stage or output (JSON, Markdown, SQLite) meets them.
_CONTROLS: dict[int, str | None] = {
    c: " " for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]
}
# Direction controls are dropped here too (every `Article` drops them), so that a file of
# nothing else is refused as empty.
_CONTROLS.update(dict.fromkeys(BIDI_CONTROLS))


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.translate(_CONTROLS)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 by byte-order mark, or without one by where the zero bytes of
    ASCII-range text fall (every second or every fourth byte of the sample)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[: 4096 - 4096 % 4] if len(data) % 4 == 0 else b""
    for enc, zeros in (("utf-32-le", (1, 2, 3)), ("utf-32-be", (0, 1, 2))):
        if sample and all(sample[i::4].count(0) >= _WIDE_ZEROS * len(sample[i::4]) for i in zeros):
            return enc
    sample = data[: 4096 - 4096 % 2] if len(data) % 2 == 0 else b""
    for enc, at in (("utf-16-le", 1), ("utf-16-be", 0)):
        half = sample[at::2]
        if half and half.count(0) >= _WIDE_ZEROS * len(half) and 0 not in sample[1 - at :: 2]:
            return enc
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > _MAX_CONTROL_SHARE * len(sample)


def _decode_unknown(data: bytes) -> str:
    """Not UTF-8 as a whole. A file with some valid non-ASCII UTF-8 lines is mixed: its other
    lines are decoded as Windows-1252, the legacy encoding of most of the web. Otherwise the
    encoding charset-normalizer detects is used for the whole file."""
    lines = data.split(b"\n")
    mixed = any(not line.isascii() and _is_utf8(line) for line in lines)
    if mixed:
        fallback = "cp1252"
    else:
        guess = from_bytes(data).best()
        if guess is not None:
            return str(guess)
        fallback = "cp1252"
    return "\n".join(
        line.decode("utf-8") if _is_utf8(line) else line.decode(fallback, errors="replace")
        for line in lines
    )


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
