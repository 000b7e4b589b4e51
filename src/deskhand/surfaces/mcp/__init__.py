"""The MCP server: deskhand's tools for any MCP client, under the session's policy, approvals and audit."""
