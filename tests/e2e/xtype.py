#!/usr/bin/python3
"""Types text into a window the way a keyboard does: X key events through the XTEST extension,
so the keys take the same path as a writer's (X server, GTK, WebKit), with no WebDriver between.

    xtype.py TITLE DELAY_MS TEXT

TITLE is part of the target window's title; it gets the input focus first. Each character is a
key press and release, DELAY_MS apart. ASCII letters, digits and space only. Needs Debian's
python3-xlib."""
import sys
import time

from Xlib import X, XK, display
from Xlib.ext import xtest

from xwindows import name_of, walk

title, delay, text = sys.argv[1], int(sys.argv[2]) / 1000, sys.argv[3]
d = display.Display()
target = next(w for w in walk(d.screen().root) if title in name_of(d, w))
d.set_input_focus(target, X.RevertToParent, X.CurrentTime)
d.sync()
for ch in text:
    keysym = XK.string_to_keysym("space" if ch == " " else ch)
    code = d.keysym_to_keycode(keysym)
    shifted = ch.isupper()
    if shifted:
        xtest.fake_input(d, X.KeyPress, d.keysym_to_keycode(XK.XK_Shift_L))
    xtest.fake_input(d, X.KeyPress, code)
    xtest.fake_input(d, X.KeyRelease, code)
    if shifted:
        xtest.fake_input(d, X.KeyRelease, d.keysym_to_keycode(XK.XK_Shift_L))
    d.sync()
    time.sleep(delay)
print(len(text))
