"""deskhand.tree."""
