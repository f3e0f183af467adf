import ParamCountCore

/// The checkpoint formats read by their headers alone.
public enum TensorFormat: String, Sendable, Equatable, CaseIterable {
    case safetensors, gguf
}

public enum Formats {
    /// Which checkpoint format a file starts like, from its first bytes (16 are enough), or nil.
    /// A safetensors file starts with its header's length and then `{`; a GGUF file with its magic.
    public static func sniff(firstBytes b: some Collection<UInt8>) -> TensorFormat? {
        let head = Array(b.prefix(16))
        if head.count >= 4, head[0..<4].elementsEqual(Array("GGUF".utf8)) || head[0..<4].elementsEqual(Array("FUGG".utf8)) {
            return .gguf
        }
        if head.count >= 9, head[8] == UInt8(ascii: "{") {
            var n: UInt64 = 0
            for k in 0..<8 { n |= UInt64(head[k]) << (8 * k) }
            if n >= 2, n <= UInt64(Safetensors.maxHeaderBytes) { return .safetensors }
        }
        return nil
    }
}

/// One tensor as a checkpoint's header describes it.
public struct TensorInfo: Sendable, Equatable {
    public var name: String
    /// Outermost dimension first, as PyTorch and safetensors write it. GGUF stores its dimensions
    /// innermost first; they are reversed here so the same weight has the same shape in both formats.
    public var shape: [Int]
    /// The format's own name for the element type: `BF16`, `F8_E4M3`, `Q4_K`...
    public var dtype: String
    /// The product of the shape: the number of values, whatever they are stored in.
    public var elements: Int
    /// Bytes the tensor occupies in its file, when the format says.
    public var bytes: Int?
    /// The file (shard) holding it.
    public var file: String

    public init(name: String, shape: [Int], dtype: String, elements: Int, bytes: Int?, file: String) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.elements = elements
        self.bytes = bytes
        self.file = file
    }
}

/// A key and a value from a checkpoint's metadata, as text for display. Values come from the file
/// as they are: escape them (`TerminalSafe.escape`) before they reach a terminal.
public struct MetadataEntry: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Everything read from a checkpoint's headers.
public struct TensorListing: Sendable, Equatable {
    public var format: TensorFormat
    /// In file order; for shards, shard by shard.
    public var tensors: [TensorInfo]
    /// The file's own key/values in file order (safetensors `__metadata__` and the index's
    /// `metadata`; GGUF's key/values, long arrays summarised).
    public var metadata: [MetadataEntry]
    /// The few entries worth showing first (GGUF: name, architecture, blocks, context, width,
    /// quantisation type); empty when the format has none.
    public var summary: [MetadataEntry]
    /// The sum of every tensor's elements, buffers included. Checked: it fits in 64 bits.
    public var totalElements: Int
    public var bytesByDtype: [String: Int]
    /// The files read, in order.
    public var files: [String]

    public init(format: TensorFormat, tensors: [TensorInfo], metadata: [MetadataEntry] = [], summary: [MetadataEntry] = [],
                totalElements: Int, bytesByDtype: [String: Int], files: [String]) {
        self.format = format
        self.tensors = tensors
        self.metadata = metadata
        self.summary = summary
        self.totalElements = totalElements
        self.bytesByDtype = bytesByDtype
        self.files = files
    }

    /// Dots allowed in a tensor name, plus one: the depth of the module tree, as deep as paramcount
    /// nests groups.
    public static let maxModuleDepth = 64

    /// Builds a listing, summing with overflow checks. `file` names the checkpoint in the error.
    static func make(format: TensorFormat, tensors: [TensorInfo], metadata: [MetadataEntry], summary: [MetadataEntry],
                     files: [String], file: String) throws(ModelError) -> TensorListing {
        var total = 0
        // Sums by dtype in a short list: a checkpoint has a handful of dtypes, so a linear search
        // beats hashing every tensor's dtype.
        var sums: [(dtype: String, bytes: Int)] = []
        for t in tensors {
            // The module tree is walked recursively: a name nested thousands of modules deep (a
            // header is allowed 100 MB) must not exhaust the stack.
            var dots = 0
            for b in t.name.utf8 where b == UInt8(ascii: ".") { dots += 1 }
            guard dots < maxModuleDepth else {
                throw ModelError(file: file, "tensor \"\(TerminalSafe.escapeShort(t.name, limit: 80))\" is nested \(dots) modules "
                                 + "deep; at most \(maxModuleDepth - 1) are allowed (real models nest fewer than 10)")
            }
            let (sum, overflow) = total.addingReportingOverflow(t.elements)
            guard !overflow else {
                throw ModelError(file: file, "the tensors hold more than 2^63 values in all; that cannot be a real checkpoint")
            }
            total = sum
            if let b = t.bytes {
                let i = sums.firstIndex { $0.dtype == t.dtype } ?? { sums.append((t.dtype, 0)); return sums.count - 1 }()
                let (s, o) = sums[i].bytes.addingReportingOverflow(b)
                guard !o else { throw ModelError(file: file, "the tensors' sizes add up to more than 2^63 bytes") }
                sums[i].bytes = s
            }
        }
        return TensorListing(format: format, tensors: tensors, metadata: metadata, summary: summary, totalElements: total,
                             bytesByDtype: Dictionary(uniqueKeysWithValues: sums.map { ($0.dtype, $0.bytes) }), files: files)
    }

    public var totalBytes: Int { bytesByDtype.values.reduce(0, +) }

    /// `bytesByDtype`, largest first (ties by name) for display.
    public var bytesByDtypeSorted: [(dtype: String, bytes: Int)] {
        bytesByDtype.map { (dtype: $0.key, bytes: $0.value) }
            .sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.dtype < $1.dtype }
    }

    /// Elements by kind of tensor, classified by name (see `TensorClassifier`).
    public var elementsByCategory: [Category: Int] {
        var out: [Category: Int] = [:]
        // Each partial sum is at most `totalElements`, which was checked.
        for t in tensors { out[TensorClassifier.category(of: t.name), default: 0] += t.elements }
        return out
    }

    public func value(of key: String) -> String? { metadata.first { $0.key == key }?.value }
}

/// Tensors grouped by module path: `model.layers.0.self_attn.q_proj.weight` is tensor `weight` of
/// module `model.layers.0.self_attn.q_proj`.
public struct ModuleNode: Sendable, Equatable {
    /// The last segment of the path (`q_proj`); empty for the root.
    public var name: String
    /// The full module path (`model.layers.0.self_attn.q_proj`); empty for the root.
    public var path: String
    /// Tensors held directly by this module (`weight`, `bias`), in file order.
    public var tensors: [TensorInfo]
    public var children: [ModuleNode]
    /// Elements in this module and every module under it.
    public var total: Int

    /// The tensor's own name within its module (`weight`).
    public static func localName(_ t: TensorInfo) -> String {
        t.name.lastIndex(of: ".").map { String(t.name[t.name.index(after: $0)...]) } ?? t.name
    }

    /// The node at `path` (dot-separated), if there is one.
    public func node(at path: String) -> ModuleNode? {
        if path.isEmpty { return self }
        var node = self
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = node.children.first(where: { $0.name == segment }) else { return nil }
            node = next
        }
        return node
    }
}

public enum ModuleTree {
    /// Groups a listing's tensors into modules. Children keep the order in which they first appear,
    /// except that numbered children (`layers.0`, `layers.1`, ... `layers.10`) are in numeric order,
    /// which name-sorted headers scramble.
    public static func build(_ listing: TensorListing) -> ModuleNode {
        let index = ModuleIndex(listing.tensors)
        func node(_ n: Int32, path: String) -> ModuleNode {
            let entry = index.nodes[Int(n)]
            let children = entry.children.map { c in
                let name = String(index.nodes[Int(c)].name)
                return node(c, path: path.isEmpty && n == 0 ? name : path + "." + name)
            }
            // Depth is bounded by `TensorListing.maxModuleDepth`.
            return ModuleNode(name: String(entry.name), path: path, tensors: entry.tensors.map { listing.tensors[Int($0)] },
                              children: children, total: entry.total)
        }
        return node(0, path: "")
    }
}

/// The module tree as flat arrays of indices, built in one pass over the names: no tensor is
/// copied and most names cost one lookup, since a name shares its leading modules with the one
/// before it (`blk.7.attn_q`, `blk.7.attn_k`). A checkpoint of 100,000 tensors becomes a model
/// without a hundred thousand small trees and their copies.
struct ModuleIndex {
    struct Node {
        /// The last segment of the module's path; empty for the root.
        var name: Substring
        /// Child nodes in order: first appearance, or numeric when every child is a number.
        var children: [Int32] = []
        /// Indices of the tensors held directly, in file order.
        var tensors: [Int32] = []
        /// Elements here and below; each sum is part of the listing's checked total.
        var total = 0
    }

    /// Node 0 is the root.
    private(set) var nodes: [Node]

    init(_ tensors: [TensorInfo]) {
        struct Key: Hashable {
            var parent: Int32
            var name: Substring
        }
        nodes = [Node(name: "")]
        var lookup: [Key: Int32] = [:]
        lookup.reserveCapacity(tensors.count)
        // The previous name's module segments and their nodes (chain[k] is at depth k + 1).
        var previous: [Substring] = []
        var segments: [Substring] = []
        var chain: [Int32] = []
        for (i, t) in tensors.enumerated() {
            segments.removeAll(keepingCapacity: true)
            let name = t.name
            var start = name.startIndex
            var at = start
            let utf8 = name.utf8
            while at != utf8.endIndex {
                if utf8[at] == UInt8(ascii: ".") {
                    segments.append(name[start..<at])
                    start = utf8.index(after: at)
                }
                at = utf8.index(after: at)
            }
            var shared = 0
            while shared < segments.count, shared < previous.count, segments[shared] == previous[shared] { shared += 1 }
            chain.removeSubrange(shared...)
            var node: Int32 = shared == 0 ? 0 : chain[shared - 1]
            for segment in segments[shared...] {
                let key = Key(parent: node, name: segment)
                if let child = lookup[key] {
                    node = child
                } else {
                    let child = Int32(nodes.count)
                    nodes.append(Node(name: segment))
                    nodes[Int(node)].children.append(child)
                    lookup[key] = child
                    node = child
                }
                chain.append(node)
            }
            nodes[Int(node)].tensors.append(Int32(i))
            nodes[0].total += t.elements
            for n in chain { nodes[Int(n)].total += t.elements }
            swap(&previous, &segments)
        }
        for n in nodes.indices where nodes[n].children.count > 1 {
            let numbers = nodes[n].children.map { c -> Int? in
                let s = nodes[Int(c)].name
                guard !s.isEmpty, s.utf8.count <= 18, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return Int(s)
            }
            guard numbers.allSatisfy({ $0 != nil }) else { continue }
            // `01` and `1` are different modules with one number: their names break the tie.
            let sorted = zip(nodes[n].children, numbers).sorted {
                $0.1! != $1.1! ? $0.1! < $1.1! : nodes[Int($0.0)].name < nodes[Int($1.0)].name
            }
            nodes[n].children = sorted.map(\.0)
        }
    }

    /// Every node holding tensors, in tree order (a node's own tensors before its children's),
    /// with its dotted path.
    func modulesHoldingTensors(_ body: (_ path: String, _ node: Node) -> Void) {
        // Depth is bounded by `TensorListing.maxModuleDepth`.
        func visit(_ n: Int32, _ path: String) {
            let node = nodes[Int(n)]
            if !node.tensors.isEmpty { body(path, node) }
            for c in node.children {
                let name = nodes[Int(c)].name
                visit(c, n == 0 ? String(name) : path + "." + name)
            }
        }
        visit(0, "")
    }
}

/// Sorts tensors into the kinds paramcount counts by (attention, FFN/expert, embedding, norm,
/// other), from their names alone. The rules cover the naming schemes of Hugging Face transformers
/// (Llama, Mistral, Mixtral, Qwen, GPT-2, BERT, T5, GPT-NeoX, Falcon, OPT) and of llama.cpp's GGUF
/// files (`blk.N.attn_q`, `ffn_up_exps`, `token_embd`, `output`).
public enum TensorClassifier {
    public static func category(of name: String) -> Category {
        // Matched as lowercased ASCII bytes: this runs for every tensor of a checkpoint, and
        // `String.contains` is Foundation's, which costs microseconds a call.
        let lower = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let segments = lower.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let last = segments.last ?? []
        // Buffers saved beside the parameters: rotary frequencies, and GPT-2's causal mask, which sits
        // directly on the attention module (its projections are `attn.c_attn` and `attn.c_proj`).
        if last.elementsEqual(W.invFreq) || last.elementsEqual(W.maskedBias) || segments[0].elementsEqual(W.ropeFreqs) {
            return .other
        }
        if segments.count >= 2, segments[segments.count - 2].elementsEqual(W.attn), last.elementsEqual(W.bias) { return .other }

        // Norms first: `attention.output.LayerNorm` and `blk.0.attn_norm` are norms, not attention.
        if segments.contains(where: isNorm) { return .norm }
        // An untied LM head is a dense layer, as paramcount's `dense` kind counts it (FFN/dense): a
        // design and its checkpoint then split the same way. A tied head is not in the checkpoint;
        // its weights are the embedding's.
        if segments[0].elementsEqual(W.output) && segments.count == 2 { return .ffn }   // GGUF's LM head
        if segments[0].elementsEqual(W.lmHead) || segments[0].elementsEqual(W.embedOut) { return .ffn }
        if segments.contains(where: isEmbedding) { return .embedding }
        if segments.contains(where: isAttention) { return .attention }
        if segments.contains(where: isFFN) { return .ffn }
        // BERT and RoBERTa keep the FFN's second projection in `layer.N.output.dense`.
        for i in segments.indices.dropFirst() where segments[i].elementsEqual(W.output) && isNumber(segments[i - 1]) {
            return .ffn
        }
        // Other dense layers (BERT's pooler, its masked-LM transform) are dense layers too.
        if segments.contains(where: { $0.elementsEqual(W.dense) }) { return .ffn }
        return .other
    }

    /// Tensors that checkpoints save beside the parameters but that no optimiser updates: PyTorch
    /// registers them as buffers, so `model.parameters()` leaves them out. Rotary frequencies
    /// (`rotary_emb.inv_freq`, GGUF's `rope_freqs`), GPT-2's causal mask (`attn.bias`,
    /// `attn.masked_bias`), DeepSeek's router correction (`e_score_correction_bias`), BERT's
    /// `position_ids` and batch norm's running statistics.
    public static func isBuffer(_ name: String) -> Bool {
        // Read from the end without splitting: this runs for every tensor of a checkpoint.
        let utf8 = name.utf8
        let lastDot = utf8.lastIndex(of: UInt8(ascii: "."))
        let last = lastDot.map { name[utf8.index(after: $0)...] } ?? name[...]
        switch last {
        case "inv_freq", "masked_bias", "e_score_correction_bias", "position_ids", "token_type_ids", "running_mean", "running_var",
             "num_batches_tracked":
            return true
        case "bias":
            guard let lastDot else { return false }
            return name[..<lastDot].hasSuffix(".attn") || name[..<lastDot] == "attn"
        default:
            return name.hasPrefix("rope_freqs.") || name == "rope_freqs"
        }
    }

    typealias Segment = ArraySlice<UInt8>

    /// The words matched, as bytes.
    enum W {
        static let invFreq = Array("inv_freq".utf8), maskedBias = Array("masked_bias".utf8), ropeFreqs = Array("rope_freqs".utf8)
        static let attn = Array("attn".utf8), bias = Array("bias".utf8), output = Array("output".utf8)
        static let lmHead = Array("lm_head".utf8), embedOut = Array("embed_out".utf8), dense = Array("dense".utf8)
        static let norm = Array("norm".utf8), ln = Array("ln".utf8), lnPrefix = Array("ln_".utf8), bn = Array("bn".utf8)
        static let embedding = ["embed", "embd"].map { Array($0.utf8) }
        static let embeddingNames = ["wte", "wpe", "shared"].map { Array($0.utf8) }
        static let attention = ["attn", "attention"].map { Array($0.utf8) }
        static let ffn = ["mlp", "ffn", "feed_forward", "feedforward", "expert", "moe", "densereludense"].map { Array($0.utf8) }
    }

    /// Whether `word` occurs in `s`.
    static func has(_ s: Segment, _ word: [UInt8]) -> Bool {
        guard let first = word.first else { return true }
        guard s.count >= word.count else { return false }
        var i = s.startIndex
        let end = s.endIndex - word.count
        while i <= end {
            if s[i] == first && s[i..<i + word.count].elementsEqual(word) { return true }
            i += 1
        }
        return false
    }

    /// An integer as `Int(_:)` reads one: an optional sign, then digits.
    static func isNumber(_ s: Segment) -> Bool {
        let digits = s.first == UInt8(ascii: "-") || s.first == UInt8(ascii: "+") ? s.dropFirst() : s
        return !digits.isEmpty && digits.count <= 18 && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isNorm(_ s: Segment) -> Bool {
        has(s, W.norm) || s.elementsEqual(W.ln) || s.starts(with: W.lnPrefix) || s.elementsEqual(W.bn)
    }

    static func isEmbedding(_ s: Segment) -> Bool {
        W.embedding.contains { has(s, $0) } || W.embeddingNames.contains { s.elementsEqual($0) }
    }

    static let attentionNames = ["q_proj", "k_proj", "v_proj", "o_proj", "qkv_proj", "query", "key", "value", "c_attn",
                                 "query_key_value", "qkv", "kv_a_proj_with_mqa", "kv_b_proj", "q_a_proj", "q_b_proj"]
        .map { Array($0.utf8) }

    static func isAttention(_ s: Segment) -> Bool {
        W.attention.contains { has(s, $0) } || attentionNames.contains { s.elementsEqual($0) }
    }

    static let ffnNames = ["intermediate", "gate_proj", "up_proj", "down_proj", "gate_up_proj", "w1", "w2", "w3", "fc1", "fc2",
                           "c_fc", "dense_h_to_4h", "dense_4h_to_h", "gate", "router", "wi", "wi_0", "wi_1", "wo"]
        .map { Array($0.utf8) }

    static func isFFN(_ s: Segment) -> Bool {
        W.ffn.contains { has(s, $0) } || ffnNames.contains { s.elementsEqual($0) }
    }

}
