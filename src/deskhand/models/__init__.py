"""deskhand.models."""
