/// How every reader of paramcount (YAML, JSON, the editor's form) reads an integer: decimal digits,
/// optionally with `_` between two digits, and an optional leading `-`. YAML 1.1 resolvers read
/// `017` as octal 15 and `1:30` as base-60 90; here such text is refused with a message that
/// quotes it and says how to write the number, so a width never silently changes value.
public enum IntegerText {
    public enum Failure: Error, Equatable, Sendable {
        /// An integer beyond 64 bits.
        case tooLarge
        /// Not a number that could be meant as an integer (text, or a fraction such as 2.5): the
        /// caller says what is allowed.
        case notAnInteger
        /// A number written another way; the message quotes it and says how to write it.
        case misspelt(String)
    }

    public static func parse<S: StringProtocol>(_ text: S) -> Result<Int, Failure> {
        // Nearly every number in a model file is plain digits: read those without copying.
        var value = 0
        var digits = 0
        var leadingZero = false
        var simple = true
        for b in text.utf8 {
            guard isDigit(b) else { simple = false; break }
            if digits == 0 { leadingZero = b == UInt8(ascii: "0") }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { simple = false; break }
            value = next
            digits += 1
        }
        if simple && digits > 0 && !(leadingZero && digits > 1) { return .success(value) }

        let bytes = Array(text.utf8)
        var body = bytes[...]
        let negative = body.first == UInt8(ascii: "-")
        let plus = body.first == UInt8(ascii: "+")
        if negative || plus { body = body.dropFirst() }
        guard !body.isEmpty, body.count <= 400 else { return .failure(body.isEmpty ? .notAnInteger : .tooLarge) }
        let quoted = "`" + TerminalSafe.escape(String(text)) + "`"

        // Digits and underscores: the accepted form, or one a step away from it.
        if body.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) && body.contains(where: isDigit) {
            let digits = body.filter(isDigit)
            guard let value = decimal(digits, negative: negative) else { return .failure(.tooLarge) }
            let separatorsOK = isDigit(body.first!) && isDigit(body.last!)
                && !zip(body, body.dropFirst()).contains { $0 == UInt8(ascii: "_") && $1 == UInt8(ascii: "_") }
            if !separatorsOK {
                let grouped = String(decoding: body, as: UTF8.self).split(separator: "_").joined(separator: "_")
                let alternatives = grouped.contains("_") && grouped != String(value.magnitude)
                    ? (negative ? "-" : "") + grouped + " or " : ""
                return .failure(.misspelt("\(quoted): write \(alternatives)\(value); `_` may only stand between two digits"))
            }
            if digits.count > 1 && digits.first == UInt8(ascii: "0") {
                return .failure(.misspelt("\(quoted): write \(value); leading zeros are not allowed"))
            }
            if plus { return .failure(.misspelt("\(quoted): write \(value), without a plus sign")) }
            return .success(value)
        }

        // 0x1F, 0o17, 0b101 (YAML 1.1 and 1.2 both have some of these).
        if body.count > 2 && body.first == UInt8(ascii: "0") {
            let radix: Int? = switch body.dropFirst().first {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): 16
            case UInt8(ascii: "o"), UInt8(ascii: "O"): 8
            case UInt8(ascii: "b"), UInt8(ascii: "B"): 2
            default: nil
            }
            if let radix {
                let digits = String(decoding: body.dropFirst(2).filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
                if !digits.isEmpty, let magnitude = UInt64(digits, radix: radix) {
                    guard let value = signed(magnitude, negative: negative) else { return .failure(.tooLarge) }
                    return .failure(.misspelt("\(quoted): write \(value); only decimal numbers are allowed"))
                }
                return .failure(.notAnInteger)
            }
        }

        // 1:30 (YAML 1.1's base 60).
        if body.contains(UInt8(ascii: ":")) {
            let parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            if parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isDigit($0) || $0 == UInt8(ascii: "_") } }) {
                var total = 0
                for (i, part) in parts.enumerated() {
                    guard let n = Int(String(decoding: part.filter(isDigit), as: UTF8.self)) else { return .failure(.tooLarge) }
                    if i > 0 && n >= 60 { return .failure(.notAnInteger) }
                    let (shifted, o1) = total.multipliedReportingOverflow(by: 60)
                    let (sum, o2) = shifted.addingReportingOverflow(n)
                    if o1 || o2 { return .failure(.tooLarge) }
                    total = sum
                }
                let value = negative ? -total : total
                return .failure(.misspelt("\(quoted): base-60 numbers are not allowed; write \(value) if that is what you meant"))
            }
            return .failure(.notAnInteger)
        }

        // 1e3, 256.0: a whole number written as a fraction or with an exponent.
        let plain = String(decoding: body.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if plain.utf8.allSatisfy({ isDigit($0) || "eE.+-".utf8.contains($0) }), plain.utf8.contains(where: isDigit),
           let d = Double(plain), d.isFinite {
            let v = negative ? -d : d
            if v == v.rounded(), abs(v) < 9.2e18 {
                return .failure(.misspelt("\(quoted): write \(Int(v)), without a decimal point or exponent"))
            }
        }
        return .failure(.notAnInteger)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func decimal<C: Collection<UInt8>>(_ digits: C, negative: Bool) -> Int? {
        var value = 0
        for d in digits {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(Int(d - UInt8(ascii: "0")))
                                      : shifted.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = next
        }
        return value
    }

    private static func signed(_ magnitude: UInt64, negative: Bool) -> Int? {
        if !negative { return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil }
        return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
    }
}
