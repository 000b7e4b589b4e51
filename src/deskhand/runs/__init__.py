"""deskhand.runs."""
