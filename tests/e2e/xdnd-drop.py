#!/usr/bin/python3
"""Drops files on a window the way a file manager does: the X drag-and-drop protocol (XDND 5),
as a drag source offering text/uri-list.

    xdnd-drop.py TITLE X Y FILE...

TITLE is part of the target window's title; X and Y are the drop point in the window, in pixels.
Prints "finished" once the target accepted and read the drop. Needs Debian's python3-xlib."""
import sys
import time
import urllib.parse

from Xlib import X, display, protocol

from xwindows import name_of, walk

title, x, y, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
d = display.Display()
root = d.screen().root
atom = d.intern_atom
aware, selection = atom("XdndAware"), atom("XdndSelection")
enter, position, status, drop, finished, leave = (atom(n) for n in ("XdndEnter", "XdndPosition", "XdndStatus", "XdndDrop", "XdndFinished", "XdndLeave"))
copy, uri_list = atom("XdndActionCopy"), atom("text/uri-list")
payload = "".join("file://" + urllib.parse.quote(f) + "\r\n" for f in files).encode()


target = None
for window in walk(root):
    try:
        if title in name_of(d, window) and window.get_full_property(aware, X.AnyPropertyType):
            target = window
            break
    except Exception:
        continue
if target is None:
    # The title may sit on a frame without XdndAware: take an aware window under it.
    for window in walk(root):
        try:
            if title in name_of(d, window):
                target = next((w for w in walk(window) if w.get_full_property(aware, X.AnyPropertyType)), None)
                if target:
                    break
        except Exception:
            continue
if target is None:
    sys.exit("no XdndAware window titled " + title)

origin = target.translate_coords(root, 0, 0)
root_x, root_y = -origin.x + x, -origin.y + y
source = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
source.set_selection_owner(selection, X.CurrentTime)
d.flush()


def send(kind, data):
    event = protocol.event.ClientMessage(window=target, client_type=kind, data=(32, data + [0] * (5 - len(data))))
    target.send_event(event)
    d.flush()


send(enter, [source.id, 5 << 24, uri_list, 0, 0])
send(position, [source.id, 0, (root_x << 16) | root_y, X.CurrentTime, copy])
deadline = time.time() + 10
dropped = False
while time.time() < deadline:
    if not d.pending_events():
        time.sleep(0.02)
        continue
    e = d.next_event()
    if e.type == X.ClientMessage and e.client_type == status:
        if not dropped:
            if not e.data[1][1] & 1:
                send(leave, [source.id])
                sys.exit("the window does not accept the drop here")
            send(drop, [source.id, 0, X.CurrentTime])
            dropped = True
    elif e.type == X.SelectionRequest:
        e.requestor.change_property(e.property, e.target, 8, payload)
        notify = protocol.event.SelectionNotify(time=e.time, requestor=e.requestor, selection=e.selection, target=e.target, property=e.property)
        e.requestor.send_event(notify)
        d.flush()
    elif e.type == X.ClientMessage and e.client_type == finished:
        print("finished")
        sys.exit(0)
sys.exit("the drop did not finish")
