/// Counts the entries of a YAML file's top-level `layers` list without parsing it, so a file over
/// the layer limit is refused at once instead of after a full parse (about ten seconds for a
/// million layers). The count is a lower bound: whatever it cannot follow for sure (a `layers`
/// key written another way, an alias, a quoted text left open) stops the count, and the full
/// parse then decides. It never counts a line or a comma that is not an entry of the list.
enum LayerPrescan {
    struct Result: Equatable {
        /// At least this many entries.
        var entries: Int
        /// The line of the `layers:` key.
        var line: Int
    }

    /// Stops counting once past `limit` (there is no need to know by how much).
    static func count(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Result? {
        var scanner = Scanner(bytes: bytes)
        guard let (line, afterKey) = scanner.findLayersKey() else { return nil }
        scanner.pos = afterKey
        scanner.skipSpaces()
        if scanner.peek == UInt8(ascii: "[") {
            return Result(entries: scanner.countFlowEntries(limit: limit), line: line)
        }
        scanner.skipComment()
        guard scanner.peek == nil || scanner.peek == newline else { return nil }
        return Result(entries: scanner.countBlockEntries(limit: limit), line: line)
    }

    private static let newline = UInt8(ascii: "\n")

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var pos = 0

        var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

        mutating func skipSpaces() { while let b = peek, b == 0x20 { pos += 1 } }

        /// A comment runs to the end of the line (only where a `#` follows a space or starts the line).
        mutating func skipComment() {
            guard peek == UInt8(ascii: "#") else { return }
            while let b = peek, b != newline { pos += 1 }
        }

        /// A line `layers:` at column 0, the first line of its kind; its number and the position
        /// after the colon.
        mutating func findLayersKey() -> (Int, Int)? {
            let key = Array("layers:".utf8)
            var line = 1
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != newline { end += 1 }
                if end - start >= key.count && zip(bytes[start..<start + key.count], key).allSatisfy({ $0 == $1 }) {
                    let next = start + key.count
                    if next == end || bytes[next] == 0x20 || bytes[next] == 0x0D { return (line, next) }
                }
                // Anything at column 0 that opens a multi-line construct makes later lines unsafe to read.
                if end > start, bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") { return nil }
                start = end + 1
                line += 1
            }
            return nil
        }

        /// Entries of `[ ... ]` at depth 1, from the `[`. Quotes and nested brackets are followed;
        /// an entry is counted where its first character is.
        mutating func countFlowEntries(limit: Int) -> Int {
            var depth = 0
            var entries = 0
            var expectingEntry = false
            while let b = peek, entries <= limit {
                switch b {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    if depth == 1 && expectingEntry { entries += 1; expectingEntry = false }
                    depth += 1
                    if depth == 1 { expectingEntry = true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return entries }
                case UInt8(ascii: ","):
                    if depth == 1 { expectingEntry = true }
                case 0x20, 0x09, 0x0D, newline:
                    break
                case UInt8(ascii: "#") where pos > 0 && (bytes[pos - 1] == 0x20 || bytes[pos - 1] == newline):
                    skipComment()
                    continue
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if depth == 1 && expectingEntry { entries += 1; expectingEntry = false }
                    guard skipQuoted() else { return entries }
                    continue
                default:
                    if depth == 1 && expectingEntry { entries += 1; expectingEntry = false }
                }
                pos += 1
            }
            return entries
        }

        /// Past a quoted text starting at `pos`; false when it is not closed.
        mutating func skipQuoted() -> Bool {
            let quote = bytes[pos]
            pos += 1
            while let b = peek {
                pos += 1
                if quote == UInt8(ascii: "\"") && b == UInt8(ascii: "\\") { pos += 1; continue }
                if b == quote {
                    // '' inside single quotes is an escaped quote.
                    if quote == UInt8(ascii: "'") && peek == quote { pos += 1; continue }
                    return true
                }
            }
            return false
        }

        /// Lines `- …` at the indentation of the first entry, until a line less indented (or a
        /// top-level key when the entries start at column 0). A quoted text that runs past its line
        /// stops the count, since its next lines could look like entries.
        mutating func countBlockEntries(limit: Int) -> Int {
            var entries = 0
            var indent: Int?
            while pos < bytes.count, entries <= limit {
                pos += 1  // past the newline
                let lineStart = pos
                skipSpaces()
                let column = pos - lineStart
                guard let b = peek else { break }
                if b == newline || b == 0x0D || b == UInt8(ascii: "#") { skipComment(); continue }
                if indent == nil {
                    guard isEntry() else { return entries }
                    indent = column
                }
                if column < indent! { return entries }
                if column == indent! {
                    guard isEntry() else { return entries }
                    entries += 1
                }
                guard skipRestOfLine() else { return entries }
            }
            return entries
        }

        func isEntry() -> Bool {
            guard peek == UInt8(ascii: "-") else { return false }
            let next = pos + 1 < bytes.count ? bytes[pos + 1] : newline
            return next == 0x20 || next == newline || next == 0x0D
        }

        /// To the end of the line, following quotes that start where a value can start; false if a
        /// quote stays open past the line, or the line starts a block of text (| or >) whose lines
        /// the indentation rule above already skips.
        mutating func skipRestOfLine() -> Bool {
            var atValueStart = true
            while let b = peek, b != newline {
                if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && atValueStart {
                    let lineEnd = bytes[pos...].firstIndex(of: newline) ?? bytes.count
                    guard skipQuoted(), pos <= lineEnd else { return false }
                    atValueStart = false
                    continue
                }
                if b == UInt8(ascii: "#") && pos > 0 && bytes[pos - 1] == 0x20 { skipComment(); break }
                switch b {
                case 0x20, UInt8(ascii: "-"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","):
                    atValueStart = true
                case UInt8(ascii: ":"):
                    atValueStart = pos + 1 >= bytes.count || bytes[pos + 1] == 0x20 || bytes[pos + 1] == newline
                default:
                    atValueStart = false
                }
                pos += 1
            }
            return true
        }
    }
}
