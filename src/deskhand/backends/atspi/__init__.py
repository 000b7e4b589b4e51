"""deskhand.backends.atspi."""
