"""`.npz` archives read header first: names come from the zip directory, dtypes and shapes from each
member's `.npy` header, so a file that does not fit is refused before any array data is inflated.

`Module.load` reads with `NpzReader`; nothing here unpickles, and every way a file can be broken
(not a zip, truncated, a foreign member, a bad header, corrupt data) is one `ValueError` naming the
caller and the file.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from typing import IO, Any, NamedTuple

import numpy as np
from numpy.lib import format as npy_format

# What a broken archive raises inside zipfile, zlib and numpy's header parser: each becomes one
# ValueError. (Opening the file itself is outside: a missing file stays FileNotFoundError.)
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    SyntaxError,  # numpy parses the header dict with ast.literal_eval
    NotImplementedError,  # an unsupported zip feature
    RuntimeError,  # an encrypted member
)
# np.savez stores, np.savez_compressed deflates; zipfile inflates deflate in bounded steps, but
# bzip2 and lzma a whole chunk at once, which a crafted member turns into gigabytes.
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
REAL_KINDS = "biuf"  # bool, signed and unsigned int, float


class Member(NamedTuple):
    """One array of the archive, known from its headers alone."""

    key: str  # the array's name: the member's name without ".npy"
    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    data_offset: int  # bytes of magic and header before the data
    info: zipfile.ZipInfo


def is_real(dtype: np.dtype) -> bool:
    """Whether ``dtype`` holds plain real numbers (bool, int or float; no fields, no objects)."""
    return dtype.kind in REAL_KINDS and dtype.names is None and dtype.subdtype is None


class NpzReader:
    """An open ``.npz`` file: `keys` from the directory, `header` and `read` one member each.

    Args:
        path: the archive.
        api: the caller's name for error messages, e.g. ``"Module.load"``.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
    >>> np.savez(path, w=np.eye(2, dtype=np.float32))
    >>> with NpzReader(path, "example") as archive:
    ...     member = archive.header("w")
    ...     member.shape, member.dtype, archive.read(member).tolist()
    ((2, 2), dtype('float32'), [[1.0, 0.0], [0.0, 1.0]])
    """

    def __init__(self, path: str | os.PathLike[str], api: str) -> None:
        self.path = os.fspath(path)
        self.api = api
        self._file: IO[bytes] = open(self.path, "rb")  # closed by close()
        try:
            self._zip = zipfile.ZipFile(self._file)
            self._members = self._directory()
        except _BROKEN as err:
            self._file.close()
            raise self.error(
                f"is not a readable .npz archive; got {_reason(err)}, expected a zip of .npy "
                "arrays as Module.save writes. A truncated or overwritten file looks like this: "
                "save it again"
            ) from None
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> NpzReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._zip.close()
        self._file.close()

    def error(self, what: str, key: str | None = None) -> ValueError:
        """The ValueError for a broken archive (or one broken member)."""
        where = f"{self.api}: {self.path!r}" + (f": entry {key!r}" if key is not None else "")
        return ValueError(f"{where} {what}")

    def _directory(self) -> dict[str, zipfile.ZipInfo]:
        members: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            if not info.filename.endswith(".npy"):
                raise self.error(
                    f"holds a member that is not a .npy array; got {info.filename!r}, expected "
                    "only '<name>.npy' members as Module.save (numpy.savez) writes"
                )
            key = info.filename[: -len(".npy")]
            if key in members:
                raise self.error(f"holds two members named {info.filename!r}; expected one")
            members[key] = info
        return members

    def keys(self) -> list[str]:
        """The array names, in the archive's order (nothing read beyond the zip directory)."""
        return list(self._members)

    def header(self, key: str) -> Member:
        """Shape and dtype of one array from its ``.npy`` header (nothing else is read)."""
        info = self._members[key]
        if info.compress_type not in _COMPRESSIONS:
            raise self.error(
                f"uses zip compression {info.compress_type}; expected stored (0) or deflated "
                "(8), as numpy.savez and numpy.savez_compressed write",
                key,
            )
        try:
            with self._zip.open(info) as f:
                version = npy_format.read_magic(f)
                if version == (1, 0):
                    shape, fortran_order, dtype = npy_format.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, fortran_order, dtype = npy_format.read_array_header_2_0(f)
                else:
                    raise ValueError(f".npy format version {version}, expected 1.0 or 2.0")
                offset = f.tell()
        except _BROKEN as err:
            raise self.error(f"has no readable .npy header; got {_reason(err)}", key) from None
        if dtype.hasobject:
            raise self.error(
                f"holds Python objects (dtype {dtype}), which would have to be unpickled; "
                "expected real numbers (bool, int or float). Module.load never unpickles",
                key,
            )
        if not is_real(dtype):
            raise self.error(f"has dtype {dtype}; expected real numbers (bool, int or float)", key)
        return Member(key, tuple(shape), dtype, fortran_order, offset, info)

    def read(self, member: Member) -> np.ndarray:
        """The array of a member from `header`: refused unread unless the size the zip directory
        declares is exactly header plus data; then exactly those bytes, CRC verified."""
        size = _nbytes(member)
        declared, needed = member.info.file_size, member.data_offset + size
        if declared != needed:
            state = "truncated" if declared < needed else "longer than its header says"
            raise self.error(
                f"is {state}; got {declared} bytes declared, expected {needed} "
                f"({member.data_offset} of header, then a {member.shape} array of "
                f"{member.dtype}). The file is corrupt or was not written by Module.save",
                member.key,
            )
        try:
            with self._zip.open(member.info) as f:
                f.seek(member.data_offset)
                data = f.read(size)
                if len(data) != size:
                    raise EOFError(f"{len(data)} of {size} data bytes")
                f.read(1)  # reaching the end makes zipfile check the CRC
        except _BROKEN as err:
            raise self.error(f"has corrupt data; got {_reason(err)}", member.key) from None
        flat = np.frombuffer(data, dtype=member.dtype) if size else np.empty(0, member.dtype)
        if member.fortran_order:
            return flat.reshape(member.shape[::-1]).T.copy()
        return flat.reshape(member.shape).copy()


def _nbytes(member: Member) -> int:
    return math.prod(member.shape) * member.dtype.itemsize  # Python ints: no overflow


def _reason(err: BaseException) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def save_npz(path: str | os.PathLike[str], arrays: dict[str, Any]) -> str:
    """Write ``arrays`` to exactly ``path`` (numpy.savez would append ".npz" to "x.NPZ")."""
    path = os.fspath(path)
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path
