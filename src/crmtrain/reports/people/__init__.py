"""The report tables as people read them: in the regulation's language, ids turned into words, numbers rounded.

The tables keep machine names and values (``initial_result`` = ``fail``); :class:`People` says
them for the specialist and management: headers from the registry (:mod:`..catalog`), values
in words, percentages with one decimal, moments in the office's time zone. The CSV, XLSX and
HTML writers all go through it.
"""

from __future__ import annotations

from .view import People

__all__ = ["People"]
