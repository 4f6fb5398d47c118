"""Notifications by mail: assignments, evaluation rounds and a weekly overview of due work, each
sent directly, in the weekly overview or not at all, as the user chooses (``/account/meldingen``).
Recorded as they happen (``recording.py``), sent by ``flask notifications send-due``
(``sending.py`` and ``digest.py``) through the one mail path (``tracker.mail.services``)."""
