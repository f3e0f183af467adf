#!/usr/bin/env python3
"""Render a terminal capture (tmux capture-pane -e -p) to a PNG, cell by cell, so the screenshots
show exactly what the terminal showed. Needs Pillow and DejaVu Sans Mono (fonts-dejavu-core)."""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
PALETTE = [(30, 30, 30), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188),
           (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
           (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
DEFAULT_FG, DEFAULT_BG = (220, 220, 220), (24, 24, 28)


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        return tuple(0 if c == 0 else 55 + c * 40 for c in (n // 36, (n // 6) % 6, n % 6))
    v = 8 + (n - 232) * 10
    return (v, v, v)


def parse(text, width):
    rows = []
    state = dict(fg=None, bg=None, bold=False, dim=False, rev=False, ul=False)
    for line in text.split("\n"):
        row = []
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        state = dict(fg=None, bg=None, bold=False, dim=False, rev=False, ul=False)
                    elif c == 1: state["bold"] = True
                    elif c == 2: state["dim"] = True
                    elif c == 4: state["ul"] = True
                    elif c == 7: state["rev"] = True
                    elif c == 22: state["bold"] = state["dim"] = False
                    elif c == 24: state["ul"] = False
                    elif c == 27: state["rev"] = False
                    elif 30 <= c <= 37: state["fg"] = PALETTE[c - 30]
                    elif 90 <= c <= 97: state["fg"] = PALETTE[c - 90 + 8]
                    elif c == 39: state["fg"] = None
                    elif 40 <= c <= 47: state["bg"] = PALETTE[c - 40]
                    elif 100 <= c <= 107: state["bg"] = PALETTE[c - 100 + 8]
                    elif c == 49: state["bg"] = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            col = xterm256(codes[i + 2]); i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            col = tuple(codes[i + 2:i + 5]); i += 4
                        else:
                            col = None
                        state["fg" if c == 38 else "bg"] = col
                    i += 1
            else:
                for ch in token:
                    row.append((ch, dict(state)))
        rows.append(row[:width])
    return rows


def render(rows, width, height, out, scale=1.0):
    size = int(16 * scale)
    font, bold = ImageFont.truetype(FONT, size), ImageFont.truetype(BOLD, size)
    cw = int(font.getlength("M") + 0.5)
    ch = int(size * 1.25)
    img = Image.new("RGB", (cw * width + 16, ch * height + 16), DEFAULT_BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows[:height]):
        x = 0
        for char, st in row:
            fg, bg = st["fg"] or DEFAULT_FG, st["bg"] or DEFAULT_BG
            if st["rev"]:
                fg, bg = bg, fg
            if st["dim"]:
                fg = tuple(int(c * 0.6 + DEFAULT_BG[i] * 0.4) for i, c in enumerate(fg))
            px, py = 8 + x * cw, 8 + y * ch
            d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if char in "─│┌┐└┘":
                mx, my = px + cw // 2, py + ch // 2
                if char in "─┌┐└┘": d.line([px if char in "─┐┘" else mx, my, px + cw if char in "─┌└" else mx, my], fill=fg)
                if char in "│┌┐": d.line([mx, my if char != "│" else py, mx, py + ch], fill=fg)
                if char in "│└┘": d.line([mx, py, mx, my], fill=fg)
            elif char in "▏▎▍▌▋▊▉█":
                frac = "▏▎▍▌▋▊▉█".index(char) + 1
                d.rectangle([px, py + 2, px + max(1, cw * frac // 8) - 1, py + ch - 3], fill=fg)
            elif char != " ":
                d.text((px, py + (ch - size) // 2 - 1), char, font=bold if st["bold"] else font, fill=fg)
            if st["ul"]:
                d.line([px, py + ch - 2, px + cw, py + ch - 2], fill=fg)
            x += 1
    img.save(out)


if __name__ == "__main__":
    src, out, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(src, encoding="utf-8") as f:
        render(parse(f.read(), w), w, h, out)
