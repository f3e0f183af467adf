/// What a figure counts.
public enum PlanUnit: String, Sendable, Equatable {
    case bytes, parameters, flops
}

/// How far a figure can be trusted.
public enum Certainty: String, Sendable, Equatable {
    /// Follows from the model and the settings alone (given the definitions the plan states).
    case exact
    /// A rule of thumb with named assumptions; never added to the exact figures unannounced.
    case estimate
}

/// One figure of a plan, written the way a teacher writes it: the formula, the numbers put in,
/// and the result.
public struct PlanFigure: Sendable, Equatable {
    public enum ID: String, Sendable, Equatable {
        case weights, kvCache = "kv_cache", adapters, gradients, masterWeights = "master_weights"
        case optimizerStates = "optimizer_states", activations
        case forwardPerToken = "forward_flops_per_token", trainingPerToken = "training_flops_per_token"
        case trainingPerStep = "training_flops_per_step"
        case forwardPerSample = "forward_flops_per_sample"
    }

    public var id: ID
    public var label: String
    public var unit: PlanUnit
    public var certainty: Certainty
    /// The formula with symbols, e.g. `2 × L × H_kv × d_h × T × B × bytes`.
    public var symbolic: String
    /// The same with the numbers put in.
    public var substituted: String
    /// nil when the result does not fit in 64 bits.
    public var value: Int?
    /// What the symbols stand for, in order of appearance.
    public var variables: [Variable]
    public var notes: [String]

    /// `symbolic = substituted = result`, without repeating a step that reads the same.
    public var line: String {
        var pieces = [symbolic]
        if substituted != symbolic { pieces.append(substituted) }
        let result = resultText
        if pieces.last != result { pieces.append(result) }
        return pieces.joined(separator: " = ")
    }

    /// The formula as lines: the symbols, then `= numbers`, then `= result`.
    public var steps: [String] {
        var out = [symbolic]
        if substituted != symbolic { out.append("= " + substituted) }
        out.append("= " + resultText)
        return out
    }

    /// The exact result with its unit and, for bytes and FLOPs, a readable size: `536,870,912 B
    /// (512.00 MiB · 0.54 GB)`.
    public var resultText: String {
        guard let value else { return "too large for 64 bits (over 9.2 × 10^18)" }
        return PlanFormat.exact(value, unit) + (PlanFormat.readable(value, unit).map { " (" + $0 + ")" } ?? "")
    }

    /// The result in short form, for lists: `512.00 MiB`, `4.2M`, `16.65 GFLOP`.
    public var short: String {
        guard let value else { return "overflow" }
        return PlanFormat.short(value, unit)
    }

    /// Builds a figure from an expression; `divisor` 8 turns a count of bits into bytes (rounded
    /// up), for 4-bit types. `symbolic` replaces the expression's own symbols when a sum over
    /// several shapes reads better as one general formula.
    init(_ id: ID, _ label: String, _ unit: PlanUnit, _ certainty: Certainty = .exact, expr: Expr, divisor: Int = 1,
         symbolic: String? = nil, notes: [String] = []) {
        self.id = id
        self.label = label
        self.unit = unit
        self.certainty = certainty
        func over8(_ s: String) -> String {
            guard divisor != 1 else { return s }
            if case .sum = expr { return "(" + s + ") / \(divisor)" }
            return s + " / \(divisor)"
        }
        self.symbolic = over8(symbolic ?? expr.symbolic())
        self.substituted = over8(expr.substituted())
        self.variables = symbolic == nil ? expr.variables : []
        self.notes = notes
        if let n = try? expr.evaluate() {
            // Rounded up: half a byte still takes a byte.
            value = divisor == 1 ? n : n / divisor + (n % divisor == 0 ? 0 : 1)
        } else {
            value = nil
        }
    }
}

/// Numbers in a plan: exact values grouped by thousands, and readable sizes in both binary (GiB,
/// 2^30 bytes) and decimal (GB, 10^9 bytes) units, since vendors and tools use both.
public enum PlanFormat {
    public static func exact(_ n: Int, _ unit: PlanUnit) -> String {
        switch unit {
        case .bytes: return Format.grouped(n) + " B"
        case .parameters: return Format.grouped(n)
        case .flops: return Format.grouped(n) + " FLOP"
        }
    }

    public static func readable(_ n: Int, _ unit: PlanUnit) -> String? {
        switch unit {
        case .bytes: return n < 1024 ? nil : binary(n) + " · " + decimal(n)
        case .parameters: return n < 1000 ? nil : Format.human(n)
        case .flops: return n < 1000 ? nil : flops(n)
        }
    }

    public static func short(_ n: Int, _ unit: PlanUnit) -> String {
        switch unit {
        case .bytes: return binary(n)
        case .parameters: return Format.human(n)
        case .flops: return flops(n)
        }
    }

    /// `12.55 GiB`: two decimals in the largest binary unit below the size.
    public static func binary(_ n: Int) -> String {
        scaled(Double(n), base: 1024, units: ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"])
    }

    /// `13.48 GB`.
    public static func decimal(_ n: Int) -> String {
        scaled(Double(n), base: 1000, units: ["B", "kB", "MB", "GB", "TB", "PB", "EB"])
    }

    /// `16.65 GFLOP` (decimal prefixes, as FLOP counts are always written).
    public static func flops(_ n: Int) -> String {
        scaled(Double(n), base: 1000, units: ["FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP"])
    }

    /// A signed size for deltas: `+1.50 GiB`, `−512.00 MiB`, `0 B`.
    public static func signedBinary(_ n: Int, minus: String = "−") -> String { signed(n, .bytes, minus: minus) }

    /// A signed difference in the unit's short form: `+1.50 GiB`, `−1.80 GFLOP`, `+4.2M`.
    public static func signed(_ n: Int, _ unit: PlanUnit, minus: String = "−") -> String {
        guard n != 0 else { return unit == .bytes ? "0 B" : "0" }
        let magnitude = n == Int.min ? Int.max : abs(n)
        return (n > 0 ? "+" : minus) + short(magnitude, unit)
    }

    /// For narrow tables: one decimal below 100, none above: `15.0 GiB`, `256 GiB`, `49.4 G` (FLOPs
    /// without the word, the column says it).
    public static func compact(_ n: Int, _ unit: PlanUnit) -> String {
        switch unit {
        case .bytes: return scaled(Double(n), base: 1024, units: ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"], compact: true)
        case .parameters: return Format.human(n)
        case .flops: return scaled(Double(n), base: 1000, units: ["", "k", "M", "G", "T", "P", "E"], compact: true)
        }
    }

    /// A signed difference in compact form: `+192 GiB`, `−1.8 G`.
    public static func signedCompact(_ n: Int, _ unit: PlanUnit, minus: String = "−") -> String {
        guard n != 0 else { return "0" }
        let magnitude = n == Int.min ? Int.max : abs(n)
        return (n > 0 ? "+" : minus) + compact(magnitude, unit)
    }

    static func scaled(_ x: Double, base: Double, units: [String], compact: Bool = false) -> String {
        var x = x.magnitude
        var i = 0
        while x >= base && i < units.count - 1 { x /= base; i += 1 }
        func unit(_ number: String) -> String { units[i].isEmpty ? number : number + " " + units[i] }
        if i == 0 { return unit("\(Int(x))") }
        let digits = compact ? (x >= 99.95 ? 0 : 1) : 2
        let scale = digits == 0 ? 1.0 : digits == 1 ? 10.0 : 100.0
        let rounded = (x * scale).rounded()
        guard rounded.isFinite, rounded < 9e18 else { return unit("\(x)") }
        let r = Int(rounded), whole = r / Int(scale), fraction = r % Int(scale)
        switch digits {
        case 0: return unit("\(whole)")
        case 1: return unit("\(whole).\(fraction)")
        default: return unit("\(whole)." + (fraction < 10 ? "0" : "") + "\(fraction)")
        }
    }
}
