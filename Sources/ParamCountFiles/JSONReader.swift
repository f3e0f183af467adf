import ParamCountCore

/// A small strict JSON reader that keeps line numbers and bounds nesting, so a hostile file ends in
/// a clear error instead of a stack overflow.
struct JSONReader {
    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// A model file nests three levels per parallel (the layer, its branches, one branch) and two
    /// per group: 64 of them inside each other, as the counter allows, need about 200.
    static let maxDepth = 256

    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> DocNode {
        var r = JSONReader(bytes)
        // RFC 8259 lets a parser ignore a byte-order mark; editors on Windows write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { r.pos = 3 }
        r.skipSpace()
        let node = try r.value(depth: 0)
        r.skipSpace()
        if r.pos < r.bytes.count { throw r.fail("unexpected text after the end of the JSON value") }
        return node
    }

    private func fail(_ message: String) -> Failure { Failure(line: line, message: message) }

    /// The four characters JSON allows between tokens.
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A: pos += 1; line += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> DocNode {
        guard depth < JSONReader.maxDepth else { throw fail("nesting deeper than \(JSONReader.maxDepth) levels") }
        guard pos < bytes.count else { throw fail("unexpected end of file: a value was expected") }
        let start = line
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var entries: [(key: String, value: DocNode)] = []
            skipSpace()
            if peek(UInt8(ascii: "}")) { pos += 1; return DocNode(value: .map(entries), line: start) }
            while true {
                skipSpace()
                guard peek(UInt8(ascii: "\"")) else { throw fail("expected a quoted key") }
                let key = try string()
                skipSpace()
                guard peek(UInt8(ascii: ":")) else { throw fail("expected ':' after key \"\(key)\"") }
                pos += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                if entries.contains(where: { $0.key == key }) { throw fail("key \"\(key)\" appears twice") }
                entries.append((key, v))
                skipSpace()
                if peek(UInt8(ascii: ",")) { pos += 1; continue }
                if peek(UInt8(ascii: "}")) { pos += 1; return DocNode(value: .map(entries), line: start) }
                throw fail("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [DocNode] = []
            skipSpace()
            if peek(UInt8(ascii: "]")) { pos += 1; return DocNode(value: .list(items), line: start) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek(UInt8(ascii: ",")) { pos += 1; continue }
                if peek(UInt8(ascii: "]")) { pos += 1; return DocNode(value: .list(items), line: start) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return DocNode(value: .string(try string()), line: start)
        case UInt8(ascii: "t"): try literal("true"); return DocNode(value: .bool(true), line: start)
        case UInt8(ascii: "f"): try literal("false"); return DocNode(value: .bool(false), line: start)
        case UInt8(ascii: "n"): try literal("null"); return DocNode(value: .null, line: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return DocNode(value: try number(), line: start)
        default:
            throw fail("unexpected character '\(printable(bytes[pos]))'")
        }
    }

    private func peek(_ b: UInt8) -> Bool { pos < bytes.count && bytes[pos] == b }

    private func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw fail("unexpected text: expected \(word)")
        }
        pos += w.count
    }

    /// RFC 8259 §6: `[-] (0 | [1-9][0-9]*) [. [0-9]+] [(e|E) [+|-] [0-9]+]`. The whole token is taken
    /// first (up to a delimiter), so `017` or `1_000` is reported as written rather than as a
    /// number followed by junk.
    private mutating func number() throws(Failure) -> DocNode.Value {
        let start = pos
        while pos < bytes.count, Self.isNumberByte(bytes[pos]) { pos += 1 }
        let token = bytes[start..<pos]
        if Self.isRFC8259Number(token) { return .number(String(decoding: token, as: UTF8.self)) }
        let text = String(decoding: token, as: UTF8.self)
        switch IntegerText.parse(text) {
        case .failure(.misspelt(let advice)): throw fail(advice)
        case .success(let n): throw fail("`\(TerminalSafe.escapeShort(text))`: write \(n); JSON numbers have no `_` separators")
        default: throw fail("malformed number '\(TerminalSafe.escapeShort(text))' (JSON numbers are written like 12, -3 or 2.5e3)")
        }
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"):
            return true
        default: return false
        }
    }

    private static func isRFC8259Number(_ t: ArraySlice<UInt8>) -> Bool {
        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        var i = t.startIndex
        func peek() -> UInt8? { i < t.endIndex ? t[i] : nil }
        if peek() == UInt8(ascii: "-") { i += 1 }
        if peek() == UInt8(ascii: "0") { i += 1 } else {
            guard digit(peek()) else { return false }
            while digit(peek()) { i += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            i += 1
            guard digit(peek()) else { return false }
            while digit(peek()) { i += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            i += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i += 1 }
            guard digit(peek()) else { return false }
            while digit(peek()) { i += 1 }
        }
        return i == t.endIndex
    }

    private mutating func string() throws(Failure) -> String {
        pos += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var chunkStart = pos
        func flush(_ r: JSONReader, _ to: Int, into out: inout String.UnicodeScalarView) throws(Failure) {
            guard chunkStart < to else { return }
            guard let s = String(validating: r.bytes[chunkStart..<to], as: UTF8.self) else {
                throw r.fail("text is not valid UTF-8")
            }
            out.append(contentsOf: s.unicodeScalars)
        }
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                try flush(self, pos, into: &scalars)
                pos += 1
                return String(scalars)
            }
            if b == 0x0A { throw fail("a string runs past the end of the line") }
            if b == UInt8(ascii: "\\") {
                try flush(self, pos, into: &scalars)
                pos += 1
                guard pos < bytes.count else { break }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    // UTF-16 surrogates only mean something in pairs; a lone one is no character
                    // (and `\ud800\u0041` once underflowed the arithmetic below and trapped).
                    if (0xD800..<0xDC00).contains(code) {
                        guard peek(UInt8(ascii: "\\")), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate escape \\u\(hex(code)) in a string (it must be followed by \\uDC00 to \\uDFFF)")
                        }
                        pos += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw fail("unpaired surrogate escape \\u\(hex(code)) in a string (it is followed by \\u\(hex(low)), "
                                       + "not by \\uDC00 to \\uDFFF)")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw fail("unpaired surrogate escape \\u\(hex(code)) in a string (a low surrogate must follow \\uD800 to \\uDBFF)")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("\\u\(hex(code)) is not a character") }
                    scalars.append(scalar)
                default: throw fail("unknown escape '\\\(printable(e))' in a string")
                }
                chunkStart = pos
                continue
            }
            pos += 1
        }
        throw fail("a string is not closed")
    }

    /// Exactly four hex digits (UInt32(_:radix:) alone would also take a sign, as in `\u+041`).
    private mutating func hex4() throws(Failure) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("\\u must be followed by four hex digits") }
        var n: UInt32 = 0
        for b in bytes[pos..<pos + 4] {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail("\\u must be followed by four hex digits")
            }
            n = n << 4 | UInt32(digit)
        }
        pos += 4
        return n
    }

    private func hex(_ code: UInt32) -> String {
        let h = String(code, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
