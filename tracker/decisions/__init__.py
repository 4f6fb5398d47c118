"""Decisions of a trajectory: the go / no-go of phase 1 and the form of the collaboration in phase 4."""
