import ParamCountCore

/// Where things go in classroom mode.
public struct ClassroomLayout: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let bigDigits: Bool

    public var bannerHeight: Int { bigDigits ? 5 : 2 }
    public var paneTop: Int { 1 + bannerHeight }
    public var paneHeight: Int { height - paneTop - 2 }
    public var listWidth: Int { max(24, width * 36 / 100) }
    public var listRows: Int { max(1, paneHeight - 2) }
    public var totalsRow: Int { height - 2 }
}

/// Digits three rows tall, for a total readable from the back of a room.
public enum BigDigits {
    static let glyphs: [Character: [String]] = [
        "0": ["█▀█", "█ █", "▀▀▀"], "1": ["▀█ ", " █ ", "▀▀▀"], "2": ["▀▀█", "█▀▀", "▀▀▀"],
        "3": ["▀▀█", " ▀█", "▀▀▀"], "4": ["█ █", "▀▀█", "  ▀"], "5": ["█▀▀", "▀▀█", "▀▀▀"],
        "6": ["█▀▀", "█▀█", "▀▀▀"], "7": ["▀▀█", "  █", "  ▀"], "8": ["█▀█", "█▀█", "▀▀▀"],
        "9": ["█▀█", "▀▀█", "▀▀▀"], ",": [" ", " ", "▄"],
    ]

    /// The three rows of `text` (digits and commas), glyphs one column apart.
    public static func rows(_ text: String, ascii: Bool = false) -> [String] {
        var rows = ["", "", ""]
        for ch in text {
            guard let g = glyphs[ch] else { continue }
            for r in 0..<3 {
                let piece = ascii ? String(g[r].map { $0 == " " ? " " : "#" }) : g[r]
                rows[r] += piece + " "
            }
        }
        return rows.map { String($0.dropLast()) }
    }

    public static func width(_ text: String) -> Int { rows(text).first.map(Grid.columns) ?? 0 }
}
