"""deskhand.agent."""
