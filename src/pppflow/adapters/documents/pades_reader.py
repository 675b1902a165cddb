"""pyHanko's PDF reader, finding objects in an object stream through an index read once per stream.

WeasyPrint writes every compressible object of a PDF into one object stream. For each object it looks up there,
pyHanko reads that stream's header again (two numbers per object, token by token in Python), so opening a tagged
agreement (thousands of structure elements) to sign or verify it spent most of its time re-reading the same
header. This reader parses each header once (what pyHanko would find: the first entry naming the object) and
reads the object at its offset; anything unusual is left to pyHanko's own code.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader


class IndexedPdfReader(PdfFileReader):
    """A PdfFileReader that indexes each object stream's header once."""

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        index = self._stream_index(stmnum)
        if index is None or idnum not in index[2]:
            return super()._get_object_from_stream(idnum, stmnum, idx)  # type: ignore[no-untyped-call]  # unannotated
        data, first, offsets = index
        buffer = BytesIO(data)
        buffer.seek(first + offsets[idnum])
        try:
            obj = generic.read_object(buffer, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError):
            # pyHanko decides what a broken one is (its method is unannotated)
            return super()._get_object_from_stream(idnum, stmnum, idx)  # type: ignore[no-untyped-call]
        if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
            return super()._get_object_from_stream(idnum, stmnum, idx)  # type: ignore[no-untyped-call]  # unannotated
        return obj

    def _stream_index(self, stmnum: int) -> tuple[bytes, int, dict[int, int]] | None:
        cache: dict[int, Any] = self.__dict__.setdefault("_object_stream_index", {})
        if stmnum not in cache:
            cache[stmnum] = None
            try:
                stream = generic.Reference(stmnum, 0, self).get_object()
                if isinstance(stream, generic.StreamObject) and stream.get("/Type") == "/ObjStm":
                    data = stream.read_data(DecodePurpose.OBJECT_STREAM)
                    first, count = int(stream["/First"]), int(stream["/N"])
                    numbers = [int(x) for x in data[:first].split()[:2 * count]]
                    offsets: dict[int, int] = {}
                    for number, offset in zip(numbers[::2], numbers[1::2], strict=False):
                        offsets.setdefault(number, offset)  # the first entry wins, as in pyHanko
                    cache[stmnum] = (data, first, offsets)
            except (ValueError, KeyError, misc.PdfReadError):
                pass  # pyHanko's own lookup reports it
        return cache[stmnum]  # type: ignore[no-any-return]
