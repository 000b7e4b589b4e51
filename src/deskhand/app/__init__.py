"""deskhand.app."""
