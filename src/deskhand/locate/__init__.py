"""deskhand.locate."""
