"""The VGA text screen: the 80x25 buffer read from a machine, and a model
of what a console shows after printing some text."""

COLS, ROWS = 80, 25
VGA_TEXT = 0xB8000

COLOURS = ["black", "blue", "green", "cyan", "red", "magenta", "brown", "light grey",
           "dark grey", "light blue", "light green", "light cyan", "light red",
           "light magenta", "yellow", "white"]


class Screen:
    """The 80x25 VGA text buffer: a character and an attribute byte per cell."""

    def __init__(self, raw):
        self.raw = raw
        self.chars = [chr(raw[i]) if 32 <= raw[i] < 127 else " " for i in range(0, 4000, 2)]
        self.attrs = [raw[i] for i in range(1, 4000, 2)]

    def line(self, row):
        return "".join(self.chars[row * COLS:(row + 1) * COLS]).rstrip()

    def lines(self):
        return [self.line(r) for r in range(ROWS)]

    def text(self):
        return "\n".join(self.lines()).rstrip("\n")

    def attr(self, row, col):
        return self.attrs[row * COLS + col]

    def fg(self, row, col):
        return self.attr(row, col) & 0x0F

    def bg(self, row, col):
        return self.attr(row, col) >> 4

    def find(self, text):
        """(row, col) of the first occurrence of text, or None."""
        for row, line in enumerate(self.lines()):
            col = line.find(text)
            if col >= 0:
                return row, col
        return None

    def boxed(self):
        """The screen as text in a frame, for failure reports."""
        bar = "+" + "-" * COLS + "+"
        return "\n".join([bar] + [f"|{self.line(r):<{COLS}}|" for r in range(ROWS)] + [bar])

    def colour_summary(self):
        """'1920 cells white on red, 80 cells yellow on blue', most common first."""
        counts = {}
        for attr in self.attrs:
            counts[attr] = counts.get(attr, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        return ", ".join(f"{n} cells {COLOURS[a & 15]} on {COLOURS[a >> 4]}" for a, n in ranked[:6])

    def ansi(self):
        """The screen with its colours, for a terminal."""
        palette = [0, 4, 2, 6, 1, 5, 3, 7]  # VGA colour order -> ANSI colour order
        out = []
        for row in range(ROWS):
            cells = []
            for col in range(COLS):
                a = self.attr(row, col)
                fg, bg = a & 0x0F, (a >> 4) & 0x07
                fg_code = (90 if fg & 8 else 30) + palette[fg & 7]
                cells.append(f"\x1b[{fg_code};{40 + palette[bg]}m{self.chars[row * COLS + col]}")
            out.append("".join(cells) + "\x1b[0m")
        return "\n".join(out)


def model_screen(text):
    """The 25 lines a VGA console shows after printing text, by the rules the
    drivers follow: \\n, \\r, \\t to the next multiple of 8, \\b never before
    column 0, wrapping at column 80, scrolling by one row at the bottom."""
    rows, row, col = [[" "] * COLS for _ in range(ROWS)], 0, 0

    def newline():
        nonlocal row, col
        col, row = 0, row + 1
        if row == ROWS:
            rows.pop(0)
            rows.append([" "] * COLS)
            row = ROWS - 1

    for char in text:
        if char == "\n":
            newline()
        elif char == "\r":
            col = 0
        elif char == "\t":
            col = (col + 8) & ~7
            if col >= COLS:
                newline()
        elif char == "\b":
            col = max(col - 1, 0)
        else:
            rows[row][col] = char
            col += 1
            if col == COLS:
                newline()
    return ["".join(r).rstrip() for r in rows], (row, col)
