"""deskhand.surfaces."""
