"""deskhand.workflows."""
