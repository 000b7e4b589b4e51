"""deskhand.sandbox."""
