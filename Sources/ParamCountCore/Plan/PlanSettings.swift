/// Running the model (weights and the KV cache) or training it (gradients, optimizer states,
/// master weights and activations as well).
public enum PlanMode: String, CaseIterable, Sendable, Equatable {
    case inference, training
}

/// The optimizers the planner knows the state of.
public enum Optimizer: String, CaseIterable, Sendable, Equatable {
    /// Two fp32 moments per trainable parameter (m and v).
    case adamw
    /// One fp32 momentum buffer per trainable parameter.
    case sgd
    /// transformers' Adafactor with its defaults: no first moment, the second moment factored into
    /// a row and a column vector for every matrix, kept whole for vectors.
    case adafactor

    public var title: String {
        switch self {
        case .adamw: return "AdamW"
        case .sgd: return "SGD with momentum"
        case .adafactor: return "Adafactor"
        }
    }
}

/// What the backward pass recomputes instead of keeping, which sets the activation estimate
/// (Korthikanti et al. 2022, table 2, without tensor or sequence parallelism).
public enum Recompute: String, CaseIterable, Sendable, Equatable {
    /// Everything kept: T·B·h·(34 + 5·a·T/h) bytes per layer.
    case none
    /// The attention scores recomputed (FlashAttention keeps none either): 34·T·B·h.
    case selective
    /// Only each layer's input kept (activation checkpointing): 2·T·B·h.
    case full

    public var title: String {
        switch self {
        case .none: return "none"
        case .selective: return "selective"
        case .full: return "full"
        }
    }
}

/// The weights as a checkpoint stores them: bytes per tensor type (GGUF's quantisations with their
/// scales, or safetensors' F16, BF16…), read from its headers.
public struct StoredWeights: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var type: String
        public var bytes: Int

        public init(type: String, bytes: Int) {
            self.type = type
            self.bytes = bytes
        }
    }

    /// "GGUF", "safetensors": named in the figure's note.
    public var format: String
    public var entries: [Entry]

    public init(format: String, entries: [Entry]) {
        self.format = format
        self.entries = entries
    }
}

/// Which weight matrices LoRA adapts.
public enum LoRATargets: String, CaseIterable, Sendable, Equatable {
    /// The query and value projections: the LoRA paper's choice and PEFT's default for Llama.
    case qv
    /// Every attention projection: query, key, value and output.
    case attention
    /// The feed-forward matrices: gate, up and down.
    case mlp
    /// Every linear layer except the output head, as PEFT's `all-linear`.
    case all = "all-linear"

    public var title: String {
        switch self {
        case .qv: return "q, v"
        case .attention: return "q, k, v, o"
        case .mlp: return "mlp"
        case .all: return "all linear"
        }
    }

    func adapts(_ role: MatrixRole) -> Bool {
        switch (self, role) {
        case (.qv, .query), (.qv, .value): return true
        case (.attention, .query), (.attention, .key), (.attention, .value), (.attention, .output): return true
        case (.mlp, .feedForward): return true
        case (.all, .query), (.all, .key), (.all, .value), (.all, .output), (.all, .feedForward), (.all, .dense): return true
        default: return false
        }
    }
}

/// What the planner is asked about. The defaults are a single sequence of 4,096 tokens for
/// inference with a 16-bit cache.
public struct PlanSettings: Sendable, Equatable {
    /// How the weights are stored; when training, how the frozen ones are (trainable weights follow
    /// `mixedPrecision`).
    public var weights: DType
    public var kvCache: DType
    /// Tokens per sequence.
    public var context: Int
    /// Sequences processed together.
    public var batch: Int
    public var mode: PlanMode
    public var optimizer: Optimizer
    /// 16-bit weights and gradients with fp32 master weights; off: everything in fp32.
    public var mixedPrecision: Bool
    /// 0: full fine-tuning; above 0, only the adapters train.
    public var loraRank: Int
    public var loraTargets: LoRATargets
    /// For the activation estimate.
    public var recompute: Recompute
    /// A model read from a checkpoint is planned with its weights as stored (each tensor's own
    /// type, quantisation scales included); off, with every weight as `weights`.
    public var asStored = true

    public init(weights: DType = .fp32, kvCache: DType = .fp16, context: Int = 4096, batch: Int = 1,
                mode: PlanMode = .inference, optimizer: Optimizer = .adamw, mixedPrecision: Bool = true,
                loraRank: Int = 0, loraTargets: LoRATargets = .qv, recompute: Recompute = .none) {
        self.weights = weights
        self.kvCache = kvCache
        self.context = context
        self.batch = batch
        self.mode = mode
        self.optimizer = optimizer
        self.mixedPrecision = mixedPrecision
        self.loraRank = loraRank
        self.loraTargets = loraTargets
        self.recompute = recompute
    }

    public var training: Bool { mode == .training }
    public var lora: Bool { loraRank > 0 }
}
