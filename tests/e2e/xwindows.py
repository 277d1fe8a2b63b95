"""What the X helper scripts of the end-to-end tests share: walking the windows of a display and
reading their titles. Needs Debian's python3-xlib."""


def name_of(d, window):
    """The window's title (_NET_WM_NAME, else WM_NAME)."""
    prop = window.get_full_property(d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"))
    if prop is not None:
        return prop.value.decode("utf-8", "replace")
    return window.get_wm_name() or ""


def walk(window):
    """The window and all windows below it."""
    yield window
    for child in window.query_tree().children:
        yield from walk(child)
