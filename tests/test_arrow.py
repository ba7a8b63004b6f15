"""Arrow columns over numpy's buffers: the same columns pa.array makes, without pandas."""

import numpy as np
import pyarrow as pa
import pytest

from channelsim import arrow


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.float32,
                                   np.float64, np.bool_, "datetime64[D]"])
@pytest.mark.parametrize("n", [0, 1, 13])
def test_a_column_is_what_pa_array_makes(dtype, n):
    values = (np.arange(n) * 7 % 5).astype(dtype)
    made = arrow.column(values)
    assert made.type == pa.array(values).type and made.equals(pa.array(values))


def test_a_strided_column_is_copied_in_order():
    values = np.arange(20, dtype=np.int16).reshape(4, 5)[:, 1]
    assert arrow.column(values).to_pylist() == [1, 6, 11, 16]


def test_text_and_labels():
    words = ["calais", "", "dunkerque", "été"]
    assert arrow.text(words).equals(pa.array(words, pa.string()))
    assert arrow.text([]).equals(pa.array([], pa.string()))
    codes = np.array([2, 0, 0, 1], dtype=np.int8)
    assert arrow.labels(["a", "b", "c"], codes).to_pylist() == ["c", "a", "a", "b"]

