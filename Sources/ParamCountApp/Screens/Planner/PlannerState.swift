import ParamCountCore

/// A setting of the planner's form, in the order the form shows it.
public enum PlannerRow: Int, CaseIterable, Sendable, Equatable {
    case mode, weights, kvCache, context, batch, optimizer, mixedPrecision, recompute, loraRank, loraTargets

    public var label: String {
        switch self {
        case .mode: return "mode"
        case .weights: return "weights"
        case .kvCache: return "KV cache"
        case .context: return "context"
        case .batch: return "batch"
        case .optimizer: return "optimizer"
        case .mixedPrecision: return "mixed precision"
        case .recompute: return "recompute"
        case .loraRank: return "LoRA rank"
        case .loraTargets: return "LoRA targets"
        }
    }

    /// Rows a number is typed into; the others cycle through their choices.
    public var isNumber: Bool { self == .context || self == .batch || self == .loraRank }

    /// Whether the row changes anything in this mode (the others are drawn dim).
    func applies(_ s: PlanSettings) -> Bool {
        switch self {
        case .mode, .weights, .context, .batch: return true
        case .kvCache: return !s.training
        case .optimizer, .mixedPrecision, .recompute, .loraRank: return s.training
        case .loraTargets: return s.training && s.lora
        }
    }

    /// The value as the form shows it.
    func text(_ s: PlanSettings) -> String {
        switch self {
        case .mode: return s.mode.rawValue
        case .weights: return s.asStored ? "as stored" : s.weights.rawValue
        case .kvCache: return s.kvCache.rawValue
        case .context: return Format.grouped(s.context) + (s.context == 1 ? " token" : " tokens")
        case .batch: return Format.grouped(s.batch) + (s.batch == 1 ? " sequence" : " sequences")
        case .optimizer:
            switch s.optimizer {
            case .adamw: return "AdamW"
            case .sgd: return "SGD momentum"
            case .adafactor: return "Adafactor"
            }
        case .mixedPrecision: return s.mixedPrecision ? "on" : "off"
        case .recompute: return s.recompute.title
        case .loraRank: return s.loraRank == 0 ? "0 (full)" : Format.grouped(s.loraRank)
        case .loraTargets: return s.loraTargets.title
        }
    }

    /// The value without its unit, for a narrow form.
    func shortText(_ s: PlanSettings) -> String {
        if let n = number(s) { return Format.grouped(n) }
        return text(s)
    }

    /// The number the row holds, for typing over it.
    func number(_ s: PlanSettings) -> Int? {
        switch self {
        case .context: return s.context
        case .batch: return s.batch
        case .loraRank: return s.loraRank
        default: return nil
        }
    }

    /// The common values ← and → step through; a typed value in between steps to its neighbours.
    var steps: [Int] {
        switch self {
        case .context: return (7...20).map { 1 << $0 }          // 128 … 1,048,576 tokens
        case .batch: return (0...10).map { 1 << $0 }            // 1 … 1,024
        case .loraRank: return [0] + (0...9).map { 1 << $0 }    // 0, 1, 2, 4 … 512
        default: return []
        }
    }

    /// The smallest value a typed number may take.
    var minimum: Int { self == .loraRank ? 0 : 1 }

    /// The settings with this row moved one choice forward (or back).
    func stepped(_ s: PlanSettings, by delta: Int) -> PlanSettings {
        var s = s
        func cycle<T: CaseIterable & Equatable>(_ value: T) -> T {
            let all = Array(T.allCases)
            let i = all.firstIndex(of: value)!
            return all[(i + delta % all.count + all.count) % all.count]
        }
        switch self {
        case .mode: s.mode = cycle(s.mode)
        case .weights: s.weights = cycle(s.weights)
        case .kvCache: s.kvCache = cycle(s.kvCache)
        case .optimizer: s.optimizer = cycle(s.optimizer)
        case .mixedPrecision: s.mixedPrecision.toggle()
        case .recompute: s.recompute = cycle(s.recompute)
        case .loraTargets: s.loraTargets = cycle(s.loraTargets)
        case .context, .batch, .loraRank:
            let current = number(s)!
            let next = delta > 0 ? steps.first { $0 > current } : steps.last { $0 < current }
            if let next { s = setting(s, to: next) }
        }
        return s
    }

    func setting(_ s: PlanSettings, to n: Int) -> PlanSettings {
        var s = s
        switch self {
        case .context: s.context = n
        case .batch: s.batch = n
        case .loraRank: s.loraRank = n
        default: break
        }
        return s
    }

    /// Reads a typed number: the same integers as everywhere else (IntegerText), at least `minimum`.
    func parse(_ text: String) -> Result<Int, PlannerInputError> {
        let t = text.trimmedSpaces
        let what = self == .loraRank ? "a whole number, 0 for full fine-tuning" : "a positive whole number"
        switch IntegerText.parse(t) {
        case .success(let n) where n >= minimum: return .success(n)
        case .failure(.misspelt(let advice)): return .failure(PlannerInputError(message: "\(label): \(advice)"))
        case .failure(.tooLarge): return .failure(PlannerInputError(message: "\(label) is too large: at most 9,223,372,036,854,775,807"))
        default: return .failure(PlannerInputError(message: "\(label) must be \(what), got \"\(TerminalSafe.escape(t))\""))
        }
    }
}

/// Why a typed number is not a value of its setting.
public struct PlannerInputError: Error, Equatable, Sendable {
    public let message: String
}

/// The planner's settings and where its form and figures are. Kept while other screens are shown,
/// so coming back finds the plan as it was left; both sides of a comparison are planned with it.
public struct PlannerState: Equatable, Sendable {
    /// The settings (their weight type is the document's: `t` and the planner change the same one).
    public var settings = PlanSettings()
    public var row: PlannerRow = .mode
    /// Lines of the figures scrolled past.
    public var scroll = 0
    /// A number being typed into the selected row.
    public var typing: String?

    public init() {}

    /// The typed number when it reads, else why not.
    public var typed: Result<Int, PlannerInputError>? { typing.map { row.parse($0) } }

    /// The settings the figures follow: with the typed number while it reads.
    public var shown: PlanSettings {
        if case .success(let n)? = typed { return row.setting(settings, to: n) }
        return settings
    }

    public var typingError: String? {
        if case .failure(let e)? = typed { return e.message }
        return nil
    }
}
