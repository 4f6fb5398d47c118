"""Outgoing mail: the outbox, SMTP delivery, and the administrators' outbox page."""
