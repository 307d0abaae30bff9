"""FakeTerminal: a text stream that keeps a screen as a VT100/xterm terminal would, for the
live panel's tests: what is left on screen after Rich's cursor moves and erases.

It plays the parts of a terminal and its tty that Rich's Live uses: printable characters with
auto-wrap (xterm's "wrap pending": a character written in the last column leaves the cursor
there; the next printable one goes to the start of the next line), `\\r`, `\\n` (the tty's
ONLCR makes it CR LF), CSI `A` (cursor up), `K` (erase in line), `m` (colours, ignored) and
`?25l`/`?25h` (cursor hidden/shown). `echo(text)` is what the tty writes itself where the
cursor is, as Linux's ECHOCTL echoes `^C` when Ctrl-C is pressed. Writes are atomic (Rich's
refresh thread writes a whole frame in one `write`).
"""

from __future__ import annotations

import re
import threading

CSI = re.compile(r"\x1b\[(\??)([0-9;]*)([A-Za-z])")


class FakeTerminal:
    def __init__(self, width: int = 80) -> None:
        self.width = width
        self.lines: list[list[str]] = [[]]
        self.row = self.col = 0
        self.wrap_pending = False
        self.cursor_visible = True
        self._lock = threading.Lock()

    # --- the TextIO that Rich's Console writes to ---------------------------------------

    def write(self, text: str) -> int:
        with self._lock:
            self._feed(text)
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return True

    def echo(self, text: str) -> None:
        """What the tty itself writes at the cursor (`^C` for Ctrl-C with ECHOCTL)."""
        self.write(text)

    # --- what is on screen ----------------------------------------------------------------

    def screen(self) -> list[str]:
        """The lines on screen, trailing blanks dropped, and trailing empty lines."""
        with self._lock:
            rows = ["".join(line).rstrip() for line in self.lines]
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def _feed(self, text: str) -> None:
        at = 0
        while at < len(text):
            match = CSI.match(text, at)
            if match:
                self._control(match.group(1), match.group(2), match.group(3))
                at = match.end()
                continue
            char = text[at]
            at += 1
            if char == "\r":
                self.col, self.wrap_pending = 0, False
            elif char == "\n":
                self._line_feed()
                self.col = 0
            elif char == "\x1b":  # another escape (a title, a hyperlink): its ESC dropped
                continue
            elif char >= " ":
                self._put(char)

    def _put(self, char: str) -> None:
        if self.wrap_pending:
            self._line_feed()
            self.col, self.wrap_pending = 0, False
        line = self.lines[self.row]
        line.extend(" " * (self.col + 1 - len(line)))
        line[self.col] = char
        if self.col == self.width - 1:
            self.wrap_pending = True
        else:
            self.col += 1

    def _line_feed(self) -> None:
        self.row += 1
        self.wrap_pending = False
        while len(self.lines) <= self.row:
            self.lines.append([])

    def _control(self, private: str, params: str, final: str) -> None:
        count = int(params) if params.isdigit() else 1
        if private == "?" and params == "25":
            self.cursor_visible = final == "h"
        elif final == "A":
            self.row, self.wrap_pending = max(self.row - count, 0), False
        elif final == "K":
            mode = int(params or "0")
            line = self.lines[self.row]
            if mode == 2:
                line.clear()
            elif mode == 0:
                del line[self.col :]
            else:
                line[: self.col + 1] = " " * min(self.col + 1, len(line))
            self.wrap_pending = False
        # `m` (colours) and anything else: no change to what the screen shows
