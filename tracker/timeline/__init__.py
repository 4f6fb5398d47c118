"""The timeline of a trajectory (phases, milestones, meetings, evaluation rounds and PDCA cycles on
one time axis) and its charts (checklist progress, actions opened and done, the success factors'
cards over the rounds); server-rendered SVG, each with a table that says the same."""
