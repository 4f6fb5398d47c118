"""Forgotten passwords: a single-use link by mail, valid for an hour, that sets a new password."""
