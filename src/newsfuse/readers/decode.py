"""Bytes to text: size limit, binary detection, encoding detection (mixed encodings too)."""

from __future__ import annotations

from charset_normalizer import from_bytes

from newsfuse.errors import InputError

MAX_BYTES = 50 * 2**20

# A text file has almost no control characters; a share above this is a binary file.
_MAX_CONTROL_SHARE = 0.01


def decode(name: str, data: bytes) -> str:
    """Decode ``data`` or raise `InputError` saying why it is not usable text."""
    if len(data) > MAX_BYTES:
        raise InputError(name, f"input is larger than {MAX_BYTES // 2**20} MB; split it")
    if not data.strip():
        raise InputError(name, "empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").replace("\r\n", "\n")
        except UnicodeDecodeError as err:
            raise InputError(name, "starts with a UTF-16 mark but is not UTF-16") from err
    if _looks_binary(data):
        raise InputError(name, "binary data, not text, HTML or JSON Lines")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_unknown(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
