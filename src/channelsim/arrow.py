"""Arrow columns made from numpy arrays and lists of text over their buffers.

`pa.array` and `pa.table` given numpy arrays or lists first ask whether they hold pandas
objects, and to answer they import pandas: a third of a second of a run's start-up that the
results tables never needed. These build the same columns without asking (numpy's memory is
shared, not copied).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def column(values: np.ndarray) -> pa.Array:
    """A 1-D numeric, bool or datetime64[D] array (without NaT) as the Arrow column pa.array
    would make."""
    values = np.ascontiguousarray(values)
    if values.ndim != 1:
        raise ValueError(f"a column must be 1-D, not of shape {values.shape}")
    if values.dtype == np.bool_:  # Arrow packs booleans eight to a byte
        return pa.Array.from_buffers(pa.bool_(), len(values), [
            None, pa.py_buffer(np.packbits(values, bitorder="little"))])
    if values.dtype == np.dtype("datetime64[D]"):
        kind, values = pa.date32(), values.view(np.int64).astype(np.int32)
    else:
        kind = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def text(values: Sequence[str]) -> pa.Array:
    """A string column of `values`."""
    encoded = [v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    return pa.Array.from_buffers(pa.string(), len(encoded), [
        None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def labels(names: Sequence[str], codes: np.ndarray) -> pa.DictionaryArray:
    """A text column given as codes into `names` (dictionary-encoded, as the store takes it)."""
    return pa.DictionaryArray.from_arrays(column(codes.astype(np.int32)), text(names))


def table(columns: dict[str, np.ndarray | pa.Array]) -> pa.Table:
    """A table of named columns, numpy arrays made Arrow columns."""
    return pa.table({name: column(c) if isinstance(c, np.ndarray) else c
                     for name, c in columns.items()})
