"""Search across the trajectories a user may see: the index (index.py), the query (services.py)
and the page (routes.py)."""
