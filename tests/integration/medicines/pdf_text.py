"""Read the text back out of a PDF that WeasyPrint wrote, to check a printable says what it must.

pypdf or pdfminer are used when installed; otherwise a small reader for what WeasyPrint (pydyf)
writes: Flate-compressed streams, objects packed in object streams, Type0 fonts with a ToUnicode
CMap, text shown with ``TJ``/``Tj`` in hex glyph codes. It maps each run through the ToUnicode
map of the font selected by the preceding ``Tf``, so it reads the PDF bytes themselves, not the
HTML they came from.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)
_REF = re.compile(rb"/(\w+)\s+(\d+) 0 R")


def page_count(pdf: bytes) -> int:
    """Pages as the page tree says (``/Type /Pages ... /Count N``), in plain or packed objects."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages.*?/Count\s+(\d+)", _all_text(pdf))]
    return max(counts, default=0)


def extract_text(pdf: bytes) -> str:
    try:
        from pypdf import PdfReader  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:  # pragma: no cover - only where pypdf is installed
        import io

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    return _weasyprint_text(pdf)


def _inflate(header: bytes, data: bytes) -> bytes:
    if b"/FlateDecode" in header:
        return zlib.decompress(data)
    return data


def _streams(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    return {
        int(num): (header, _inflate(header, data)) for num, header, data in _STREAM.findall(pdf)
    }


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every non-stream object's text, including those packed in object streams."""
    objects = {
        int(num): body for num, body in re.findall(rb"(\d+) 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S)
    }
    for header, data in _streams(pdf).values():
        if b"/ObjStm" not in header:
            continue
        first = int(re.search(rb"/First\s+(\d+)", header).group(1))  # type: ignore[union-attr]
        pairs = data[:first].split()
        numbers = [int(x) for x in pairs[0::2]]
        offsets = [int(x) for x in pairs[1::2]] + [len(data) - first]
        for i, num in enumerate(numbers):
            objects[num] = data[first + offsets[i] : first + offsets[i + 1]]
    return objects


def _all_text(pdf: bytes) -> bytes:
    return pdf + b"".join(_objects(pdf).values())


def _cmap(data: bytes) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[src.lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            width = len(lo)
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[f"{code:0{width}x}".encode()] = chr(start + offset)
    return out


def _weasyprint_text(pdf: bytes) -> str:
    streams = _streams(pdf)
    objects = _objects(pdf)
    # Font resource name (e.g. KTGASA) -> its glyph-code -> text map.
    fonts: dict[bytes, dict[bytes, str]] = {}
    blocks: list[bytes] = []
    for body in objects.values():
        blocks += re.findall(rb"/Font\s*<<(.*?)>>", body, re.S)
        blocks += [objects.get(int(n), b"") for n in re.findall(rb"/Font\s+(\d+) 0 R", body)]
    for block in blocks:
        for name, num in _REF.findall(block):
            font = objects.get(int(num), b"")
            ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            if ref and int(ref.group(1)) in streams:
                fonts[name] = _cmap(streams[int(ref.group(1))][1])
    lines: list[str] = []
    for header, data in streams.values():
        if b"BT" not in data or b"/ObjStm" in header or b"/Length1" in header:
            continue
        font: dict[bytes, str] = {}
        for op in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", data):
            if op.group(1) is not None:
                font = fonts.get(op.group(1), {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", op.group(2)) if op.group(2) else [op.group(3)]
            text = []
            for h in hexes:
                width = 4 if font and len(next(iter(font))) == 4 else 2
                for i in range(0, len(h), width):
                    text.append(font.get(h[i : i + width].lower(), "\ufffd"))
            lines.append("".join(text))
    return "\n".join(lines)
