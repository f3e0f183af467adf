import ParamCountCore

/// The Hugging Face model families paramcount reads, by their `model_type`. What each one builds is
/// in HFDecoders.swift (llama-like decoders), HFClassic.swift (GPT-2, GPT-NeoX, OPT, Falcon) and
/// HFEncoders.swift (BERT, RoBERTa, T5), written from transformers 5.24's modeling code.
enum HFFamily: String, CaseIterable, Sendable {
    case llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe, gemma, gemma2, phi3, olmo2, deepseek_v3
    case gpt2, gpt_neox, opt, falcon, bert, roberta, t5

    /// The start of its transformers class names.
    var classPrefix: String {
        switch self {
        case .llama: return "Llama"
        case .mistral: return "Mistral"
        case .mixtral: return "Mixtral"
        case .qwen2: return "Qwen2"
        case .qwen2_moe: return "Qwen2Moe"
        case .qwen3: return "Qwen3"
        case .qwen3_moe: return "Qwen3Moe"
        case .gemma: return "Gemma"
        case .gemma2: return "Gemma2"
        case .phi3: return "Phi3"
        case .olmo2: return "Olmo2"
        case .deepseek_v3: return "DeepseekV3"
        case .gpt2: return "GPT2"
        case .gpt_neox: return "GPTNeoX"
        case .opt: return "OPT"
        case .falcon: return "Falcon"
        case .bert: return "Bert"
        case .roberta: return "Roberta"
        case .t5: return "T5"
        }
    }

    /// The classes paramcount counts for this family, the base model (what `AutoModel` builds when a
    /// config names no class) first.
    var classes: [(name: String, head: HFHead)] {
        let p = classPrefix
        switch self {
        case .gpt2:
            return [("GPT2Model", .none), ("GPT2LMHeadModel", .causalLM), ("GPT2ForSequenceClassification", .sequenceClassification)]
        case .bert:
            return [("BertModel", .none), ("BertForMaskedLM", .maskedLM), ("BertLMHeadModel", .maskedLM),
                    ("BertForPreTraining", .preTraining), ("BertForSequenceClassification", .sequenceClassification)]
        case .roberta:
            return [("RobertaModel", .none), ("RobertaForMaskedLM", .maskedLM), ("RobertaForCausalLM", .maskedLM),
                    ("RobertaForSequenceClassification", .sequenceClassification)]
        case .t5:
            return [("T5Model", .none), ("T5ForConditionalGeneration", .causalLM), ("T5EncoderModel", .encoderOnly)]
        default:
            return [(p + "Model", .none), (p + "ForCausalLM", .causalLM), (p + "ForSequenceClassification", .sequenceClassification)]
        }
    }

    static let supportedList = allCases.map(\.rawValue).joined(separator: ", ")
}

/// What sits on the base model in the counted class.
enum HFHead: Equatable, Sendable {
    /// The base model alone (`LlamaModel`, `BertModel` with its pooler, `T5Model`).
    case none
    /// A projection back to the vocabulary (`XxxForCausalLM`, `GPT2LMHeadModel`,
    /// `T5ForConditionalGeneration`), tied to the input embedding or not.
    case causalLM
    /// BERT's and RoBERTa's masked-language-model head (also their causal-LM classes).
    case maskedLM
    /// `BertForPreTraining`: pooler, MLM head and next-sentence head.
    case preTraining
    /// A linear layer to `num_labels` classes.
    case sequenceClassification
    /// `T5EncoderModel`: the shared embedding and the encoder.
    case encoderOnly
}

/// A config.json's values as the counting needs them: each key's value from the file, or the family
/// config class's default when the file has none, with an error that names the file, the line, the
/// key and what is allowed when a value cannot be used.
struct HFConfig {
    let file: String
    let family: HFFamily
    /// The class counted: `architectures[0]`, or the family's base model.
    let className: String
    let head: HFHead
    /// Whether the base model sits inside the counted class under an attribute (`model.`,
    /// `transformer.`, `bert.`) that prefixes module paths; a base model counted alone has none.
    var within: Bool { head != .none }

    private let entries: [String: DocNode]
    private let line: Int?

    init(_ root: DocNode, file: String) throws(ModelError) {
        self.file = file
        guard case .map(let pairs) = root.value else {
            throw ModelError(file: file, line: root.line, "a config.json is a JSON object, got \(root.describe)")
        }
        line = root.line
        var entries: [String: DocNode] = [:]
        for (k, v) in pairs { entries[k] = v }
        self.entries = entries

        guard let typeNode = entries["model_type"] else {
            throw ModelError(file: file, line: root.line, field: "model_type", "is missing")
        }
        guard case .string(let modelType) = typeNode.value else {
            throw ModelError(file: file, line: typeNode.line, field: "model_type",
                             "must be the name of a model family, got \(typeNode.describe); paramcount reads: \(HFFamily.supportedList)")
        }
        guard let family = HFFamily(rawValue: modelType) else {
            throw ModelError(file: file, line: typeNode.line, field: "model_type",
                             "\"\(TerminalSafe.escapeShort(modelType))\" is not a family paramcount reads"
                             + Suggest.hint(modelType, HFFamily.allCases.map(\.rawValue))
                             + "; it reads: \(HFFamily.supportedList)")
        }
        self.family = family

        let classes = family.classes
        if let archNode = entries["architectures"], let name = try Self.firstArchitecture(archNode, file: file) {
            guard let entry = classes.first(where: { $0.name == name }) else {
                let known = family.classes.map(\.name).joined(separator: ", ")
                throw ModelError(file: file, line: archNode.line, field: "architectures",
                                 "\"\(TerminalSafe.escapeShort(name))\" is not a \(modelType) class paramcount counts"
                                 + Self.misspelling(name, of: family.classes.map(\.name)) + "; it counts: \(known)")
            }
            className = entry.name
            head = entry.head
        } else {
            className = classes[0].name
            head = .none
        }
    }

    /// Class names are long and alike (LlamaForTokenClassification is nine edits from
    /// LlamaForSequenceClassification), so only a near miss such as "LlamaForCasualLM" gets a hint.
    private static func misspelling(_ name: String, of classes: [String]) -> String {
        guard let best = classes.min(by: { Suggest.distance(name, $0) < Suggest.distance(name, $1) }),
              Suggest.distance(name, best) <= 2 else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// `architectures[0]`, or nil when the key is null or the list is empty (both mean "the base model").
    private static func firstArchitecture(_ node: DocNode, file: String) throws(ModelError) -> String? {
        switch node.value {
        case .null: return nil
        case .list(let items):
            guard let first = items.first else { return nil }
            guard case .string(let s) = first.value else {
                throw ModelError(file: file, line: first.line, field: "architectures",
                                 "must list class names such as \"LlamaForCausalLM\", got \(first.describe)")
            }
            return s
        default:
            throw ModelError(file: file, line: node.line, field: "architectures",
                             "must be a list of class names such as [\"LlamaForCausalLM\"], got \(node.describe)")
        }
    }

    // MARK: Values

    func has(_ key: String) -> Bool { entries[key] != nil }

    func error(_ key: String, _ message: String) -> ModelError {
        ModelError(file: file, line: entries[key]?.line ?? line, field: key, message)
    }

    /// A size that must be a positive integer; the class default when the file has no such key.
    /// transformers types these fields `int`, so null is refused as it is there.
    func positive(_ key: String, _ defaultValue: Int) throws(ModelError) -> Int {
        guard let node = entries[key] else { return defaultValue }
        return try integer(node, key, minimum: 1)
    }

    /// A size typed `int | None`: nil when the key is missing or null (the family then derives it).
    func optionalPositive(_ key: String) throws(ModelError) -> Int? {
        guard let node = entries[key] else { return nil }
        if case .null = node.value { return nil }
        return try integer(node, key, minimum: 1)
    }

    /// A count that may be zero.
    func count(_ key: String, _ defaultValue: Int) throws(ModelError) -> Int {
        guard let node = entries[key] else { return defaultValue }
        return try integer(node, key, minimum: 0)
    }

    /// A size with two spellings (transformers' `attribute_map`): either may be given; both with
    /// different values is refused, since transformers silently keeps one of them.
    func positive(_ key: String, alias: String, _ defaultValue: Int) throws(ModelError) -> Int {
        let a = has(key) ? try positive(key, defaultValue) : nil
        let b = has(alias) ? try positive(alias, defaultValue) : nil
        if let a, let b, a != b {
            throw error(alias, "is \(b) but \(key) is \(a): both name the same size; keep one of them")
        }
        return a ?? b ?? defaultValue
    }

    func flag(_ key: String, _ defaultValue: Bool) throws(ModelError) -> Bool {
        guard let node = entries[key] else { return defaultValue }
        guard case .bool(let b) = node.value else { throw error(key, "must be true or false, got \(node.describe)") }
        return b
    }

    func text(_ key: String, _ defaultValue: String) throws(ModelError) -> String {
        guard let node = entries[key] else { return defaultValue }
        guard case .string(let s) = node.value else { throw error(key, "must be text, got \(node.describe)") }
        return s
    }

    /// A list of layer indices (`mlp_only_layers`); null or missing is none.
    func indices(_ key: String) throws(ModelError) -> [Int] {
        guard let node = entries[key] else { return [] }
        switch node.value {
        case .null: return []
        case .list(let items):
            var out: [Int] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try integer(item, key, minimum: 0, what: "a list of layer numbers (0, 1, …)")) }
            return out
        default:
            throw error(key, "must be a list of layer numbers (0, 1, …), got \(node.describe)")
        }
    }

    /// The number of labels of a classification head: the entries of `id2label` when present (as
    /// transformers' PretrainedConfig does), else `num_labels`, else 2.
    func labels() throws(ModelError) -> Int {
        if let node = entries["id2label"], case .map(let pairs) = node.value {
            guard !pairs.isEmpty else { throw error("id2label", "is empty: a classification head needs at least one label") }
            return pairs.count
        }
        if let node = entries["id2label"], !(node.value.isNull) {
            throw error("id2label", "must map label numbers to names, got \(node.describe)")
        }
        return try positive("num_labels", 2)
    }

    /// Whether the key holds the number 0.
    func isZero(_ key: String) -> Bool {
        guard let node = entries[key], case .number(let text) = node.value else { return false }
        return IntegerText.parse(text) == .success(0)
    }

    /// a × b for a size derived from the config, or an error at `key` when it does not fit in 64 bits.
    func product(_ a: Int, _ b: Int, _ key: String) throws(ModelError) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else {
            throw error(key, "makes a size of \(a) × \(b), which does not fit in 64 bits")
        }
        return r
    }

    /// A size typed `int | None` whose default is a multiple of another (GPT-2's n_inner = 4 × n_embd).
    func optionalPositive(_ key: String, orElse factor: Int, times size: Int, _ sizeKey: String) throws(ModelError) -> Int {
        if let n = try optionalPositive(key) { return n }
        return try product(factor, size, sizeKey)
    }

    func sum(_ a: Int, _ b: Int, _ key: String) throws(ModelError) -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw error(key, "makes a size of \(a) + \(b), which does not fit in 64 bits") }
        return r
    }

    /// `_name_or_path` when it is a non-empty string.
    var nameOrPath: String? {
        guard let node = entries["_name_or_path"], case .string(let s) = node.value, !s.isEmpty else { return nil }
        return s
    }

    private func integer(_ node: DocNode, _ key: String, minimum: Int, what: String? = nil) throws(ModelError) -> Int {
        let allowed = what ?? (minimum > 0 ? "a positive integer" : "a non-negative integer")
        guard case .number(let text) = node.value else {
            throw ModelError(file: file, line: node.line, field: key, "must be \(allowed), got \(node.describe)")
        }
        switch IntegerText.parse(text) {
        case .success(let n):
            guard n >= minimum else {
                throw ModelError(file: file, line: node.line, field: key, "must be \(allowed), got \(n)")
            }
            return n
        case .failure(.tooLarge):
            throw ModelError(file: file, line: node.line, field: key,
                             "must be \(allowed) that fits in 64 bits (at most 9,223,372,036,854,775,807), got \(node.describe)")
        case .failure(.misspelt(let advice)):
            // transformers refuses a float where it types an int, too (4096.0 is an error there).
            throw ModelError(file: file, line: node.line, field: key, "must be \(allowed); " + advice)
        case .failure(.notAnInteger):
            throw ModelError(file: file, line: node.line, field: key, "must be \(allowed), got \(node.describe)")
        }
    }
}

extension DocNode.Value {
    var isNull: Bool { if case .null = self { return true } else { return false } }
}
