"""The start reflection of a trajectory: how far the partners are in motion on each aspect."""
