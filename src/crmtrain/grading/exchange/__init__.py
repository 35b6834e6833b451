"""The exchange seen from the specialist's side, trusting nothing a trainee can write there.

Trainees may create entries in ``inbound/`` and ``fetched/``: every name, owner, kind and
timestamp found there is checked (:mod:`.inbound`) before anything is read, and a submission
is read through file descriptors that never follow a link (:mod:`.readtree`). Stdlib only;
:mod:`crmtrain.grading.plugins` puts this under nbgrader's collect.
"""
