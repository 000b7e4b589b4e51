"""deskhand.policy."""
