"""``crmtrain hub backup`` / ``restore``: the gradebook, the exchange and the trainees' work.

One ``.tar.gz`` (readable by root only) holds:

    manifest.json          what is inside, the course id and when it was made
    gradebook.db | .sql    the gradebook: a consistent sqlite copy, or pg_dump of PostgreSQL
    course/...             the specialist's course folder (sources, submissions, feedback, roster)
    exchange/...           nbgrader's exchange (released, submitted, feedback, fetch markers)
    homes/<user>/...       each trainee's workbooks (with progress) and fetched assessments

Owners and permissions are kept by name, so a backup restores onto a new server after
``crmtrain hub config`` and ``users sync`` made the same accounts. Restore puts files back
over what is there (never deleting anything else) and replaces the gradebook.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pwd
import tarfile
from pathlib import Path, PurePosixPath

from ..errors import UserError
from ..grading.plumbing.course import ASSESSMENTS
from . import accounts, asuser, safefs, workbooks
from .site import Site, Users

FORMAT = 1
GRADEBOOK = "gradebook.db"


def trainee_folders() -> tuple[str, ...]:
    """What of a trainee's home is their course work: the workbooks and the assessments."""
    return (workbooks.FOLDER, *ASSESSMENTS)


def backup(site: Site, archive: str | Path) -> dict:
    """Write the archive; return its manifest."""
    accounts.require_root("crmtrain hub backup")
    archive = Path(archive)
    users = Users.load(site.users_path)
    manifest = {"format": FORMAT, "course_id": site.course_id, "specialist": site.specialist,
                "made": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "gradebook": None, "homes": []}
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        manifest["gradebook"] = _add_gradebook(site, tar)
        gradebook = f"course/{site.course_dir.relative_to(site.course_home).as_posix()}/{GRADEBOOK}"
        left = _add(tar, site.course_home, "course", skip=lambda name: name.startswith(gradebook))
        left += _add(tar, site.exchange, "exchange")
        for name in sorted(set(users.trainees) | set(users.disabled)):
            if not accounts.exists(name):
                continue
            home, uid = accounts.home(name), pwd.getpwnam(name).pw_uid
            kept = False
            for folder in trainee_folders():
                found = _add(tar, home / folder, f"homes/{name}/{folder}", owner=uid)
                kept |= found is not None
                left += found or []
            if kept:
                manifest["homes"].append(name)
        manifest["left_out"] = left
        data = (json.dumps(manifest, indent=2) + "\n").encode()
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
        tar.addfile(info, io.BytesIO(data))
    return manifest


def _add(tar: tarfile.TarFile, folder: Path, arcname: str, **kw) -> list[str] | None:
    """``folder`` into the archive, never through a link; what was left out (None: no such folder)."""
    try:
        return safefs.add_tree(tar, folder, arcname, **kw)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return [f"{arcname}: {exc.strerror}"]


def restore(site: Site, archive: str | Path) -> dict:
    """Put the archive's files back and replace the gradebook; return its manifest."""
    accounts.require_root("crmtrain hub restore")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise UserError(f"{archive}: not a crmtrain hub backup ({exc})") from None
    with tar:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())
        except (KeyError, ValueError, AttributeError):
            raise UserError(f"{archive}: not a crmtrain hub backup (no manifest.json)") from None
        if manifest.get("course_id") != site.course_id:
            raise UserError(f"{archive} is a backup of course {manifest.get('course_id')!r}, "
                            f"this hub runs {site.course_id!r}")
        missing = [n for n in manifest.get("homes", []) if not accounts.exists(n)]
        if missing:
            raise UserError(f"{archive}: no account for {', '.join(missing)}: "
                            "run `crmtrain hub users sync` with the roster first")
        skipped = []
        for member in tar.getmembers():
            target = _destination(site, member.name)
            if target is None or not (member.isfile() or member.isdir()):
                continue
            data = tar.extractfile(member).read() if member.isfile() else None
            try:  # as root, owners by name: never through a link anyone made since
                safefs.restore_member(*target, member, data)
            except OSError as exc:
                skipped.append(f"{member.name}: {exc.strerror or exc}")
        manifest["skipped"] = skipped
        _restore_gradebook(site, tar, manifest.get("gradebook"))
    return manifest


def _destination(site: Site, name: str) -> tuple[Path, str] | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    top, rest = path.parts[0], PurePosixPath(*path.parts[1:])
    if top == "course":
        return site.course_home, str(rest)
    if top == "exchange":
        return site.exchange, str(rest)
    if top == "homes" and len(path.parts) >= 3 and path.parts[2] in trainee_folders():
        return accounts.home(path.parts[1]), str(PurePosixPath(*path.parts[2:]))
    return None


def _add_gradebook(site: Site, tar: tarfile.TarFile) -> str | None:
    if site.db_url and site.db_url.startswith("postgresql"):
        dump = accounts.run_as(site.specialist, ["pg_dump", "--clean", "--if-exists", "--no-owner",
                                                 libpq_url(site.db_url)], what="pg_dump of the gradebook", data=b"")
        name, data = "gradebook.sql", dump.stdout
    else:  # read as the specialist: the file is theirs to point anywhere
        name = GRADEBOOK
        data = asuser.run(site, site.specialist, "asuser", "sqlite-copy", site.course_dir / GRADEBOOK,
                          what="copying the gradebook")
        if not data:
            return None
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
    return name


def _restore_gradebook(site: Site, tar: tarfile.TarFile, name: str | None) -> None:
    if name is None:
        return
    data = tar.extractfile(name).read()
    if name == "gradebook.sql":
        if not (site.db_url or "").startswith("postgresql"):
            raise UserError("the backup's gradebook is a PostgreSQL dump but this hub's gradebook is sqlite "
                            "(crmtrain hub config --db-url postgresql://...)")
        accounts.run_as(site.specialist, ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", "-",
                                          libpq_url(site.db_url)], data=data, what="restoring the gradebook with psql")
        return
    # Written as the specialist, in their own folder: root never writes through their names.
    asuser.write(site, site.specialist, site.course_dir / GRADEBOOK, data, 0o600)


def libpq_url(db_url: str) -> str:
    """An SQLAlchemy address as PostgreSQL's own tools take it (no ``+driver``)."""
    scheme, rest = db_url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"
