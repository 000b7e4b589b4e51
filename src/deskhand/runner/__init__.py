"""deskhand.runner."""
