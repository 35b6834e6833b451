"""Reminders by email: each trainee's deadlines and review plan of the day, the specialist's digest.

``crmtrain remind`` (:mod:`crmtrain.commands.review`) gathers the day and hands it here:

* :mod:`.letters` decides who is told what (pure: the day's facts in, letters out);
* :mod:`.facts` reads the roster and each trainee's deadlines from the course;
* :mod:`.mail` renders a letter as plain text plus HTML and sends it over SMTP;
* :mod:`.sentlog` remembers what went out, so nobody gets a letter twice a day, and what to retry;
* :mod:`.run` is one run; :mod:`.daily` runs it every day (the hub's service);
* :mod:`.settings` is the mail server, the sender and the digest's recipient.

docs/reminders.md says what is sent when, and where it is configured.
"""
