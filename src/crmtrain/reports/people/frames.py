"""Whole tables said for people: the spreadsheet's values (:func:`said`) and the CSV's (:func:`for_csv`).

Each distinct value is said once and mapped onto the column: a report of 10,000 trainees has
a few dozen distinct words in a column of half a million cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...i18n import numbers
from ..catalog import number_format
from .view import People


def said(name: str, df: pd.DataFrame, people: People) -> pd.DataFrame:
    """``df`` with codes and flags in words and moments on the office's clock; numbers left exact."""
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s.dtype) or (s.dtype == object and _bools(s)):
            out[col] = s.map(lambda v: people.value(name, col, bool(v)) if v is not None and v is not pd.NA
                             and v == v else "")
        elif pd.api.types.is_datetime64_any_dtype(s.dtype) and "hh" in (number_format(str(col)) or ""):
            out[col] = _local(s, people)  # a moment; a day (review_on) is a day anywhere
        elif people.says_in_words(name, str(col)) and not pd.api.types.is_numeric_dtype(s.dtype):
            out[col] = _mapped(s, lambda v: people.value(name, str(col), v) if isinstance(v, str) else v)
    return df.assign(**out) if out else df


def for_csv(name: str, df: pd.DataFrame, people: People) -> pd.DataFrame:
    """The CSV's table: :func:`said`, percentages as numbers of percent with one decimal, points with at
    most two, moments and days as the language writes them, and the headers in words."""
    df = said(name, df, people)
    out = {}
    for col in df.columns:
        s, fmt = df[col], number_format(str(col)) or ""
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            style = (lambda v: numbers.moment(v, people.lang)) if "hh" in fmt else (lambda v: numbers.date(v, people.lang))
            out[col] = _mapped(s, lambda v: "" if pd.isna(v) else style(v.to_pydatetime()))
        elif pd.api.types.is_float_dtype(s.dtype):
            out[col] = (s * 100).round(1) if "%" in fmt and col != "pass_mark" else s.round(2)
    df = df.assign(**out) if out else df.copy()
    df.columns = people.headers(name, [str(c) for c in df.columns])
    return df


def _bools(s: pd.Series) -> bool:
    """An object column holding only booleans and gaps (pandas' nullable booleans unstacked)."""
    values = {v for v in s.dropna().unique().tolist()}
    return bool(values) and values <= {True, False}


def _local(s: pd.Series, people: People) -> pd.Series:
    """Moments (naive UTC) as the office's wall clock shows them."""
    if not people.timezone or s.isna().all():
        return s
    try:
        aware = s.dt.tz_localize("UTC") if s.dt.tz is None else s
        return aware.dt.tz_convert(people.timezone).dt.tz_localize(None)
    except Exception:  # an unknown zone: the regulation's check reports it; the report keeps UTC
        return s


def _mapped(s: pd.Series, say) -> pd.Series:
    """``say`` applied to each distinct value once."""
    codes, uniques = pd.factorize(s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s)
    words = np.array([say(v) for v in uniques.tolist()] + [""], dtype=object)
    return pd.Series(words[codes], index=s.index)  # code -1 (a gap) picks the trailing ""
