"""The members of a trajectory: adding (or inviting), changing their place and role, removing."""
