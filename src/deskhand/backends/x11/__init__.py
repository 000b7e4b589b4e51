"""X11 windows and the pointer, through python-xlib (EWMH/ICCCM, XTest, X-Resource)."""
