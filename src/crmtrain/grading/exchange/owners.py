"""Whose entry in the exchange may speak for a trainee: the account with the trainee's id.

On a hub every trainee logs in with an account named like their roster id (``crmtrain hub
users sync`` makes them so), so the account the roster maps an id to is ``getpwnam(id)``.
"""

from __future__ import annotations

import os
import pwd


def user_name(uid: int) -> str:
    """The login of ``uid`` ('uid N' when no account has it)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def owners_for(trainee: str) -> set[int]:
    """Owners whose entry may count as ``trainee``'s: that account, the reader itself, root.

    Where no account has the trainee's id (a course on one machine, trainees simulated by
    the specialist), only the reader's and root's own entries count.
    """
    allowed = {0, os.geteuid()}
    try:
        allowed.add(pwd.getpwnam(trainee).pw_uid)
    except KeyError:
        pass
    return allowed
