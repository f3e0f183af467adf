import CDisplayWidth

/// Terminal columns of text, measured with the C library's `wcwidth` — the function ncurses uses
/// to place cells — so the grid and the terminal agree. A grapheme cluster (Swift's `Character`)
/// is one unit: its width is its first scalar's; joiners and selectors that would make terminals
/// disagree are escaped before text gets here (`TerminalSafe`).
public enum DisplayWidth {
    /// Set while drawing for a terminal that cannot show UTF-8: text is then measured as its ASCII
    /// stand-ins (`→` is `->`, two columns), so clipping and padding agree with what is written.
    @TaskLocal public static var ascii = false

    public static func columns(_ ch: Character) -> Int {
        guard let first = ch.unicodeScalars.first else { return 1 }
        if first.value < 0x7F { return 1 }
        if ascii { return ASCIIText.fold(String(ch)).count }
        return width(first)
    }

    public static func columns(_ s: String) -> Int {
        // Printable ASCII, the usual case, takes a column a byte: no need to walk the characters
        // (a table of 100,000 checkpoint rows measures every cell).
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s.utf8.count }
        var n = 0
        for ch in s { n += columns(ch) }
        return n
    }

    /// Widths are read under C.UTF-8 whatever the process locale, so tests and `count` measure
    /// as the editor does (glibc's UTF-8 locales share one width table).
    private static func width(_ u: Unicode.Scalar) -> Int {
        let w = Int(pc_scalar_width(u.value))
        if w == -2 { return fallback(u) }
        // Unprintable scalars are drawn as '?'; a lone combining mark still takes its cell.
        return w <= 0 ? 1 : w
    }

    /// East Asian wide ranges, for a C library without a UTF-8 locale.
    private static func fallback(_ u: Unicode.Scalar) -> Int {
        switch u.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default: return 1
        }
    }
}

/// ASCII stand-ins for the interface's glyphs, for a terminal whose locale is not UTF-8: a byte
/// such as 0xD7 (the second half of `×`) would otherwise reach it raw.
public enum ASCIIText {
    static let table: [Character: String] = [
        "×": "x", "·": ".", "→": "->", "←": "<-", "↑": "^", "↓": "v", "−": "-", "–": "-", "—": "--",
        "…": "...", "≠": "!=", "≈": "~", "≤": "<=", "≥": ">=", "◆": "*", "●": "*", "▸": ">", "▾": "v",
        "✓": "ok", "✗": "no", "γ": "gamma", "β": "beta", "Δ": "d", "Σ": "sum", "²": "^2", "√": "sqrt",
        "₁": "1", "₂": "2", "₃": "3", "₀": "0", "ᵀ": "^T", "“": "\"", "”": "\"", "‘": "'", "’": "'",
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "█": "#", "▀": "#", "▄": "#", "▌": "#", "▐": "#", "▏": "|", "▎": "|", "▍": "|", "▋": "#", "▊": "#", "▉": "#",
        "é": "e", "è": "e", "ü": "u", "ö": "o", "ä": "a",
    ]

    /// Every character outside ASCII replaced: by its stand-in, or by '?'.
    public static func fold(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { return s }
        var out = ""
        for ch in s {
            if ch.isASCII { out.append(ch) } else { out += table[ch] ?? "?" }
        }
        return out
    }
}
