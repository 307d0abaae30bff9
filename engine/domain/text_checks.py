"""Control characters in names, labels and messages: refused on input, escaped on output.

A newline in a label would forge a log line; an escape sequence in a name would reach the
terminal raw. Inputs are refused (`control_character_in`); output is escaped (`printable`).
"""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls (ESC's 8-bit twin CSI is U+009B); the Unicode line
# and paragraph separators (str.splitlines breaks there) and the bidi overrides and isolates
# (they make a terminal show text in another order than it is).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_character_in(text: str) -> str | None:
    """The first control character of `text`, escaped (`\\n`, `\\x1b`), or None."""
    found = _CONTROL.search(text)
    return None if found is None else _escaped(found.group())


def printable(text: str) -> str:
    """`text` with every control character written as an escape, e.g. `\\x1b[31m`."""
    return _CONTROL.sub(lambda found: _escaped(found.group()), text)


def _escaped(character: str) -> str:
    return repr(character)[1:-1]
