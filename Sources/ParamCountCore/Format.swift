/// Number formatting shared by every view, so the table, the editor and the JSON agree.
public enum Format {
    /// 394240 → "394,240".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 109482240 → "109.5M", 7_000_000_000 → "7.0B", 950 → "950"; up to Int.max → "9.2E".
    public static func human(_ n: Int) -> String {
        let m = Double(n.magnitude)
        let sign = n < 0 ? "-" : ""
        let units: [(Double, String)] = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (scale, suffix) in units where m >= scale * 0.9995 {
            return sign + oneDecimal(m / scale) + suffix
        }
        return sign + String(n.magnitude)
    }

    /// Operations as compute figures are written: "4.1G" (G for 10⁹, not B as for parameters).
    public static func operations(_ n: Int) -> String {
        let h = human(n)
        return h.hasSuffix("B") ? String(h.dropLast()) + "G" : h
    }

    /// Bytes in binary units: "417.6 MiB".
    public static func bytes(_ b: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var x = b
        var i = 0
        while x >= 1024 && i < units.count - 1 { x /= 1024; i += 1 }
        return i == 0 ? "\(Int(x)) B" : oneDecimal(x) + " " + units[i]
    }

    /// A share as a percentage with one decimal: "12.3%".
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        return oneDecimal(Double(part) / Double(whole) * 100) + "%"
    }

    /// The mark for a ratio that has no value (A is zero, 0/0 included).
    public static let noRatio = "—"

    /// B / A with two decimals, "1.17"; `noRatio` when A is zero.
    public static func ratio(_ a: Int, _ b: Int) -> String {
        guard a > 0 else { return noRatio }
        let hundredths = Int((Double(b) / Double(a) * 100).rounded())
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }

    /// A difference with its sign, "+14,957,568" or "−590,592" (a true minus sign); "0".
    public static func signed(_ difference: Int, human: Bool = false, minus: String = "−") -> String {
        guard difference != 0 else { return "0" }
        let size = human ? Format.human(difference.magnitude > UInt(Int.max) ? Int.max : abs(difference))
                         : Format.grouped(difference.magnitude > UInt(Int.max) ? Int.max : abs(difference))
        return (difference > 0 ? "+" : minus) + size
    }

    static func oneDecimal(_ x: Double) -> String {
        let tenths = (x * 10).rounded()
        guard tenths.isFinite, tenths < 9e18 else { return String(x) }
        let t = Int(tenths)
        return "\(t / 10).\(t % 10)"
    }
}

/// The number formats weights are stored in, for the memory figure.
public enum DType: String, CaseIterable, Sendable, Equatable {
    case fp32, fp16, bf16, int8, int4

    public var bits: Int {
        switch self {
        case .fp32: return 32
        case .fp16, .bf16: return 16
        case .int8: return 8
        case .int4: return 4
        }
    }

    /// Bytes the weights take; a Double, since 8 × a count near Int.max does not fit in Int.
    public func bytes(forParams n: Int) -> Double { (Double(n) * Double(bits) / 8).rounded(.up) }

    public var next: DType {
        let all = DType.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
