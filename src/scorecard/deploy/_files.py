"""Files of the deploy package: written whole or not at all, read in chunks.

* :func:`atomic_path`: every output (an export, a batch's scores, its rejects) is written to
  a temporary file beside the target and renamed onto it only when complete; an error or a
  ``KeyboardInterrupt`` removes the temporary file, so a target never holds a partial file.
* :class:`ChunkReader`: CSV or Parquet, the columns asked for, ``chunk_rows`` at a time,
  with the share of the input read so far (for a progress bar).  CSV values are read as
  text, except the columns named as numbers, which pandas reads as numbers when every value
  of the chunk is one (the caller reads the others value by value, by the same rule); an
  empty field and the spellings ``pandas.read_csv`` reads as missing (``NA``, ``NaN``,
  ``null``, ...) are missing.
* :class:`ChunkWriter`: CSV or Parquet (by the output's suffix), one chunk at a time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.exceptions import DataError, SpecificationError

__all__ = ["ChunkReader", "ChunkWriter", "atomic_path", "file_format"]

_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
_CODECS = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}
_COMPRESSED = tuple(_CODECS)


def file_format(path: Path, what: str) -> str:
    """``"csv"`` or ``"parquet"``, from the suffix (``.csv``, ``.csv.gz``, ``.parquet``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise SpecificationError(
            f"{what}: expected a .csv (optionally compressed) or .parquet file, found {path.name!r}"
        )
    return fmt


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it when the block completes.

    On any exception, ``KeyboardInterrupt`` included, the temporary file is removed and the
    exception propagates; ``target`` is left as it was.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        mask = os.umask(0)
        os.umask(mask)
        tmp.chmod(0o666 & ~mask)  # mkstemp makes 0600: give the file the usual mode
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise SpecificationError(
            "Parquet: expected pyarrow to be installed (pip install 'scorecard[parquet]'), "
            "found it missing"
        ) from None
    return pq


class ChunkReader:
    """The rows of a CSV or Parquet file, ``chunk_rows`` at a time, as frames."""

    def __init__(
        self, path: Path, columns: Sequence[str], chunk_rows: int, numbers: Sequence[str] = ()
    ) -> None:
        self.path = Path(path)
        self.numbers = set(numbers)  # CSV: columns pandas may read as numbers, if all are
        if not self.path.is_file():
            raise DataError(f"input: expected an existing file, found {str(path)!r}")
        self.format = file_format(self.path, "input")
        self.columns = list(dict.fromkeys(columns))
        self.chunk_rows = chunk_rows
        self.size = self.path.stat().st_size
        self._handle: Any = None
        self.total_rows: int | None = None
        if self.format == "parquet":
            self._file = _parquet().ParquetFile(self.path)
            self.total_rows = self._file.metadata.num_rows
            have = self._file.schema_arrow.names
        else:
            header = pd.read_csv(self.path, nrows=0, dtype=str)
            have = [str(c) for c in header.columns]
        absent = [c for c in self.columns if c not in have]
        if absent:
            raise DataError(
                f"input {self.path.name!r}: expected columns {absent} (the card's "
                f"characteristics, the policy's fields and the id), found columns {have[:30]}"
            )

    def fraction(self, rows_done: int) -> float | None:
        """Share of the input read so far (bytes for CSV, rows for Parquet)."""
        if self.total_rows is not None:
            return rows_done / self.total_rows if self.total_rows else 1.0
        if self._handle is not None and self.size:
            with contextlib.suppress(OSError, ValueError):
                return float(min(self._handle.tell() / self.size, 1.0))
        return None

    def __iter__(self) -> Iterator[pd.DataFrame]:
        if self.format == "parquet":
            for batch in self._file.iter_batches(batch_size=self.chunk_rows, columns=self.columns):
                yield batch.to_pandas()
            return
        suffix = self.path.suffix.lower()
        compression: Any = _CODECS.get(suffix) if suffix in _COMPRESSED else None
        with open(self.path, "rb") as handle:
            self._handle = handle
            # other columns stay text (plain Python strings); a column of numbers comes
            # as numbers (pandas reads a number exactly as Python's float does), a column
            # with one value that is not a number comes as text
            text = {c: object for c in self.columns if c not in self.numbers}
            reader = pd.read_csv(
                handle,
                usecols=self.columns,
                dtype=text,
                chunksize=self.chunk_rows,
                compression=compression,
            )
            with reader:
                yield from reader
        self._handle = None


class ChunkWriter:
    """Frames written one after the other to a CSV or Parquet file."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.format = fmt
        self._writer: Any = None
        self._schema: Any = None
        self._header = True

    def write(self, frame: pd.DataFrame) -> None:
        if self.format == "csv":
            frame.to_csv(
                self.path, mode="w" if self._header else "a", header=self._header, index=False
            )
            self._header = False
            return
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._writer is None:
            fields = [
                pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                for f in table.schema
            ]
            self._schema = pa.schema(fields)
            self._writer = _parquet().ParquetWriter(self.path, self._schema)
        self._writer.write_table(table.cast(self._schema))

    def close(self, empty: pd.DataFrame) -> None:
        """Finish the file; with no chunk written, write ``empty`` (the columns, no rows)."""
        if self.format == "csv":
            if self._header:
                empty.to_csv(self.path, index=False)
            return
        if self._writer is None:
            self.write(empty)
        self._writer.close()
