"""deskhand.surfaces.cli."""
