"""deskhand.surfaces.web."""
