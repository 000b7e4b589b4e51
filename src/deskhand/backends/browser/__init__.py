"""Web pages over the Chrome DevTools Protocol: read as deskhand Nodes, operated by ref."""
