"""deskhand.surfaces.mcp."""
