"""Speed-ups for a grading worker process: nbgrader's own code, without its repeated set-up.

nbgrader opens its gradebook about ten times per submission, and every ``Gradebook()``
creates a new SQLAlchemy engine (so no compiled statement is ever reused), inspects the
database and runs ``create_all`` (a PRAGMA per table). Its cell-metadata check calls
``jsonschema.validate``, which checks the (constant) schema again for every cell. In a
worker, which grades one course for its whole life, these are done once:

* one engine per database URL, reused by every ``Gradebook`` of the process;
* ``create_all`` once per engine (the schema cannot change while grading);
* one compiled validator per schema for nbgrader's cell metadata;
* sqlite in write-ahead-log mode, so nbgrader's many small commits do not each sync the disk.

Queries, commits and validation results are unchanged. :func:`apply` is called in each
worker after it forks, never in the parent, so no database connection crosses a fork.
"""

from __future__ import annotations

import jsonschema
import nbgrader.api as nbapi
import nbgrader.nbgraderformat.common as nbformat_checks

_engines: dict = {}
_created: set = set()
_validators: dict = {}
_original = {"create_engine": nbapi.create_engine, "create_all": nbapi.Base.metadata.create_all}


def _shared_engine(url, **kwargs):
    key = (str(url), tuple(sorted(kwargs.items())))
    if key not in _engines:
        engine = _engines[key] = _original["create_engine"](url, **kwargs)
        if engine.dialect.name == "sqlite":
            from sqlalchemy import event

            event.listen(engine, "connect", _wal)
    return _engines[key]


def _wal(dbapi_connection, _record) -> None:
    # Write-ahead logging: a commit appends to the log instead of syncing the journal and the
    # database (nbgrader commits ~30 times per submission; each sync costs ~20 ms here).
    # Readers and other writers keep working; a crash can lose the last commits, never the
    # file, and grading them again is idempotent.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _create_all_once(bind=None, **kwargs):
    if id(bind) in _created:
        return None
    _created.add(id(bind))
    return _original["create_all"](bind=bind, **kwargs)


class _CachedJsonschema:
    """The part of ``jsonschema`` nbgrader's metadata check uses, with the schema checked once."""

    def __getattr__(self, name):
        return getattr(jsonschema, name)

    @staticmethod
    def validate(instance, schema, *args, **kwargs):
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        validator = _validators.get(id(schema))
        if validator is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = _validators[id(schema)] = (schema, cls(schema))
        validator[1].validate(instance)


def apply() -> None:
    """Install the speed-ups in this (worker) process."""
    _engines.clear()
    _created.clear()
    nbapi.create_engine = _shared_engine
    nbapi.Base.metadata.create_all = _create_all_once
    nbformat_checks.jsonschema = _CachedJsonschema()
