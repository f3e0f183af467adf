import ParamCountCore

/// What a cell means, never what colour it is: themes map roles to colours and attributes.
public enum Role: UInt8, CaseIterable, Sendable {
    case normal, title, border, focusBorder, heading, selected, selectedDim, label, value, inherited
    case defaultValue, error, stale, bar, hint, key, total, modified, dim, message, overlay, editing
    case deltaUp, deltaDown, bigDigit

    /// One letter per role for golden files, so a moved selection shows up in review.
    public var letter: Character {
        let letters: [Role: Character] = [
            .normal: ".", .title: "T", .border: "-", .focusBorder: "=", .heading: "H", .selected: "S",
            .selectedDim: "s", .label: "l", .value: "v", .inherited: "i", .defaultValue: "d", .error: "E",
            .stale: "x", .bar: "b", .hint: "h", .key: "k", .total: "t", .modified: "M", .dim: "~",
            .message: "m", .overlay: "o", .editing: "e", .deltaUp: "+", .deltaDown: "_", .bigDigit: "B",
        ]
        return letters[self]!
    }
}

public struct Cell: Equatable, Sendable {
    /// One user-perceived character; empty for the right half of a wide character.
    public var text: String
    public var role: Role

    public static let blank = Cell(text: " ", role: .normal)
}

/// Which colour table the frame asks for; the terminal adapter owns the colours.
public enum Palette: Equatable, Sendable {
    case standard, classroomDark, classroomLight
}

/// The whole frame, drawn by the renderer and copied to the screen by the terminal adapter.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    public var palette: Palette = .standard
    /// The terminal cannot show UTF-8: every text written is folded to ASCII first.
    public var ascii = false

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text from (x, y), clipped at `limit` columns (default: the right edge). Returns the
    /// column after the last cell written. Control characters never get here: callers escape text
    /// from files, and anything left is shown as '?'.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let text = ascii ? ASCIIText.fold(text) : text
        let end = min(width, x + (limit ?? width))
        var col = x
        for ch in text {
            let w = Grid.columns(ch)
            if col + w > end { break }
            if col >= 0 {
                let safe = ch.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } ? "?" : String(ch)
                self[col, y] = Cell(text: safe, role: role)
                if w == 2 { self[col + 1, y] = Cell(text: "", role: role) }
            }
            col += w
        }
        return col
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: Role, text: String = " ") {
        for yy in max(0, y)..<min(height, y + h) {
            for xx in max(0, x)..<min(width, x + w) { self[xx, yy] = Cell(text: text, role: role) }
        }
    }

    /// Changes the role of a run of cells, keeping their text (for highlighting a row).
    public mutating func paint(x: Int, y: Int, width w: Int, role: Role) {
        guard y >= 0, y < height else { return }
        for xx in max(0, x)..<min(width, x + w) { self[xx, y].role = role }
    }

    /// Terminal columns a character takes, as the terminal will place it.
    public static func columns(_ ch: Character) -> Int { DisplayWidth.columns(ch) }

    public static func columns(_ s: String) -> Int { DisplayWidth.columns(s) }

    /// The frame as text rows, for golden files and end-to-end comparisons.
    public var text: String {
        (0..<height).map { y in
            var row = ""
            for x in 0..<width { row += self[x, y].text }
            return row
        }.joined(separator: "\n")
    }

    /// One role letter per cell.
    public var roleMask: String {
        (0..<height).map { y in String((0..<width).map { self[$0, y].role.letter }) }.joined(separator: "\n")
    }
}

extension String {
    /// Cut to `columns` terminal columns, with an ellipsis when cut.
    public func clipped(to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if Grid.columns(self) <= columns { return self }
        // "…" is three columns ("...") on an ASCII terminal.
        let ellipsis = Grid.columns("…")
        guard columns >= ellipsis else { return String(repeating: ".", count: columns) }
        var out = ""
        var used = 0
        for ch in self {
            let w = Grid.columns(ch)
            if used + w > columns - ellipsis { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    public func padded(to columns: Int) -> String {
        let c = Grid.columns(self)
        return c >= columns ? self : self + String(repeating: " ", count: columns - c)
    }

    public func leftPadded(to columns: Int) -> String {
        let c = Grid.columns(self)
        return c >= columns ? self : String(repeating: " ", count: columns - c) + self
    }
}
