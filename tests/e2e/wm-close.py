#!/usr/bin/python3
"""Asks the window whose title contains ARGV[1] to close, as a window manager does when its close
button is clicked (a WM_DELETE_WINDOW client message). Prints how many windows were asked.
Needs Debian's python3-xlib (installed by the Makefile); runs under Debian's /usr/bin/python3."""
import sys

from Xlib import X, display, protocol

from xwindows import name_of, walk

title = sys.argv[1]
d = display.Display()
protocols = d.intern_atom("WM_PROTOCOLS")
delete = d.intern_atom("WM_DELETE_WINDOW")


asked = 0
for window in walk(d.screen().root):
    try:
        if title in name_of(d, window) and delete in (window.get_wm_protocols() or []):
            event = protocol.event.ClientMessage(window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
            window.send_event(event)
            asked += 1
    except Exception:
        continue
d.flush()
print(asked)
