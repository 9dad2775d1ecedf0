"""Damaging clean text the ways crawled reports arrive damaged, so that the extraction is tested on
reports written here rather than tuned to seed 000.

Each function does one thing a crawler or an editor did: OpenCC's simplified → traditional,
pypinyin's annotations after the characters that conversion changed, UTF-8 read as GBK (by
Python's decoder, which keeps the byte after a bad one, or by one that swallows it), and a GBK
stream knocked out of step by a replaced closing quote.
"""

from __future__ import annotations

import opencc
from pypinyin import Style, lazy_pinyin

LOST = "\ufffd"


def to_traditional(text: str) -> str:
    return str(opencc.OpenCC("s2t").convert(text))


def annotate_pinyin(simplified: str) -> str:
    """Traditional text with the pinyin after each character the conversion changed, as in the
    seed (``機(jī)遇``)."""
    traditional = to_traditional(simplified)
    assert len(traditional) == len(simplified)
    pieces = []
    for before, after in zip(simplified, traditional, strict=True):
        pieces.append(after)
        if before != after:
            pieces.append(f"({lazy_pinyin(after, style=Style.TONE)[0]})")
    return "".join(pieces)


def utf8_read_as_gbk(text: str, span: str) -> str:
    """``span`` (which must occur once in ``text``) as its UTF-8 bytes read by Python's GBK
    decoder: a byte it cannot read becomes ``\\ufffd``, the byte after it is read again."""
    assert text.count(span) == 1
    damaged = span.encode("utf-8").decode("gbk", errors="replace")
    return text.replace(span, damaged)


def swallowing_gbk_decode(data: bytes) -> str:
    """GBK read the way many Windows programs do: a lead byte whose trail is not a trail byte
    becomes ``?`` together with that trail, so an ASCII digit after it is gone."""
    out = []
    position = 0
    while position < len(data):
        byte = data[position]
        if byte < 0x80:
            out.append(chr(byte))
            position += 1
            continue
        pair = data[position : position + 2]
        try:
            out.append(pair.decode("gbk"))
        except UnicodeDecodeError:
            out.append("?")
        position += 2
    return "".join(out)


def utf8_read_as_gbk_swallowing(text: str, span: str) -> str:
    """``span``'s UTF-8 bytes read by :func:`swallowing_gbk_decode` and written out again."""
    assert text.count(span) == 1
    return text.replace(span, swallowing_gbk_decode(span.encode("utf-8")))


def quote_knocked_out_of_step(text: str, before: str) -> str:
    """The text as GBK bytes in which the closing ``。`` right after ``before`` and the first byte
    of the character after it were replaced by ``?!``, read again by
    :func:`swallowing_gbk_decode`: the characters after it are read one byte late until an ASCII
    byte puts the reading back in step (seed 000's ``調研?!?月27日``)."""
    assert text.count(before + "。") == 1
    head, tail = text.split(before + "。")
    data = (head + before).encode("gbk") + b"?!" + tail.encode("gbk")[1:]
    return swallowing_gbk_decode(data)
