import Foundation
import ParamCountCore

/// Reads safetensors checkpoints by their headers: one `.safetensors` file, a folder of shards, or a
/// `model.safetensors.index.json` with its shards. A file is an 8-byte little-endian header length N,
/// N bytes of JSON (`{"name": {"dtype": "F16", "shape": [..], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"k": "v"}}`), then the tensor data, which is never read. The checks follow the
/// format's reference reader (huggingface/safetensors, `safetensors/src/tensor.rs`).
public enum Safetensors {
    /// The reference reader refuses headers above 100,000,000 bytes (`MAX_HEADER_SIZE`); so do we.
    public static let maxHeaderBytes = 100_000_000
    /// An index is a JSON map of tensor names to shard files: a few MiB for the largest models.
    public static let maxIndexBytes = 64 * 1024 * 1024

    /// Bits per element of every dtype the reference reader knows (`Dtype::bitsize`).
    public static let dtypeBits: [String: Int] = [
        "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
        "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
        "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64, "U64": 64,
    ]
    static let dtypeList = dtypeBits.keys.sorted().joined(separator: ", ")

    // MARK: Entry points

    /// Reads a `.safetensors` file, a folder holding shards, or an index (`*.safetensors.index.json`).
    public static func read(path: String) throws(ModelError) -> TensorListing {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ModelError(file: path, "no such file or folder")
        }
        if isDir.boolValue { return try readFolder(path) }
        if path.lowercased().hasSuffix(".json") { return try readIndex(path: path) }
        return try readShards([path], index: nil, checkpoint: path)
    }

    /// Parses a whole safetensors file held in memory. `file` names it in errors.
    public static func parse(bytes: [UInt8], file: String) throws(ModelError) -> TensorListing {
        let n = try headerLength(bytes.prefix(8), fileSize: UInt64(bytes.count), file: file)
        let header = bytes[8..<8 + n]
        let tensors = try parseHeader(header, dataSize: UInt64(bytes.count - 8 - n), file: file)
        return try TensorListing.make(format: .safetensors, tensors: tensors.tensors, metadata: tensors.metadata, summary: [],
                                      files: [file], file: file)
    }

    /// A shard index: which file holds each tensor.
    public struct Index: Sendable, Equatable {
        /// `metadata` (usually only `total_size`), values as text.
        public var metadata: [MetadataEntry]
        /// Tensor name → shard file name, in file order.
        public var weightMap: [(tensor: String, shard: String)]
        /// Shard file names in order of first mention.
        public var shards: [String]

        public static func == (a: Index, b: Index) -> Bool {
            a.metadata == b.metadata && a.shards == b.shards
                && a.weightMap.elementsEqual(b.weightMap) { $0.tensor == $1.tensor && $0.shard == $1.shard }
        }
    }

    /// Parses `model.safetensors.index.json`.
    public static func parseIndex(bytes: [UInt8], file: String) throws(ModelError) -> Index {
        var s = JSONScanner(bytes[...], file: file, what: "the index")
        var metadata: [MetadataEntry] = []
        var weightMap: [(tensor: String, shard: String)] = []
        var shards: [String] = []
        var seenShards: Set<String> = []
        var sawMap = false
        try s.topObject { s, key throws(ModelError) in
            switch key {
            case "weight_map":
                sawMap = true
                var names: Set<String> = []
                try s.object(depth: 1, context: "weight_map") { s, tensor throws(ModelError) in
                    guard names.insert(tensor).inserted else {
                        throw s.error("tensor \(quote(tensor)) appears twice in weight_map")
                    }
                    let shard = try s.string(context: "the shard of \(quote(tensor)) in weight_map")
                    try checkShardName(shard, s)
                    weightMap.append((tensor, shard))
                    if seenShards.insert(shard).inserted { shards.append(shard) }
                }
            case "metadata":
                try s.object(depth: 1, context: "metadata") { s, k throws(ModelError) in
                    metadata.append(MetadataEntry(key: k, value: try s.displayValue(depth: 2)))
                }
            default:
                try s.skipValue(depth: 1)
            }
        }
        guard sawMap else { throw ModelError(file: file, "has no \"weight_map\": an index maps each tensor to its shard file") }
        return Index(metadata: metadata, weightMap: weightMap, shards: shards)
    }

    // MARK: Files and folders

    static func readFolder(_ folder: String) throws(ModelError) -> TensorListing {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw ModelError(file: folder, "cannot be listed: \(error.localizedDescription)")
        }
        let visible = names.filter { !$0.hasPrefix(".") }.sorted()
        let indexes = visible.filter { $0.lowercased().hasSuffix(".safetensors.index.json") }
        let join = { (name: String) in folder.hasSuffix("/") ? folder + name : folder + "/" + name }
        if indexes.contains("model.safetensors.index.json") {
            return try readIndex(path: join("model.safetensors.index.json"))
        }
        if indexes.count == 1 { return try readIndex(path: join(indexes[0])) }
        if indexes.count > 1 {
            throw ModelError(file: folder, "holds several shard indexes (\(indexes.map { quote($0) }.joined(separator: ", "))); "
                             + "open the one you mean")
        }
        let files = visible.filter { $0.lowercased().hasSuffix(".safetensors") }
        guard !files.isEmpty else {
            throw ModelError(file: folder, "holds no .safetensors file and no model.safetensors.index.json")
        }
        return try readShards(files.map(join), index: nil, checkpoint: folder)
    }

    static func readIndex(path: String) throws(ModelError) -> TensorListing {
        let handle = try BoundedFile(path: path)
        guard handle.size <= UInt64(maxIndexBytes) else {
            throw ModelError(file: path, "is \(handle.size) bytes; shard indexes are limited to \(maxIndexBytes / 1024 / 1024) MiB")
        }
        let bytes = try handle.read(at: 0, count: Int(handle.size), cap: maxIndexBytes, what: "the index")
        let index = try parseIndex(bytes: bytes, file: path)
        guard !index.shards.isEmpty else { throw ModelError(file: path, "has an empty weight_map: it names no shard") }
        let folder = (path as NSString).deletingLastPathComponent
        var shardPaths: [String] = []
        for shard in index.shards {
            let p = folder.isEmpty ? shard : folder + "/" + shard
            guard FileManager.default.fileExists(atPath: p) else {
                throw ModelError(file: path, "names shard \(quote(shard)), which is not in \(quote(folder.isEmpty ? "." : folder))")
            }
            shardPaths.append(p)
        }
        return try readShards(shardPaths, index: (index, path), checkpoint: path)
    }

    static func readShards(_ paths: [String], index: (Index, String)?, checkpoint: String) throws(ModelError) -> TensorListing {
        var tensors: [TensorInfo] = []
        var metadata: [MetadataEntry] = []
        var perShard: [[MetadataEntry]] = []
        var holder: [String: String] = [:]   // tensor → shard path, across shards
        for path in paths {
            let handle = try BoundedFile(path: path)
            let length = try handle.read(at: 0, count: Int(min(8, handle.size)), cap: 8, what: "the header length")
            let n = try headerLength(length[...], fileSize: handle.size, file: path)
            let header = try handle.read(at: 8, count: n, cap: maxHeaderBytes, what: "the header")
            let parsed = try parseHeader(header[...], dataSize: handle.size - 8 - UInt64(n), file: path)
            for t in parsed.tensors {
                if let other = holder.updateValue(path, forKey: t.name) {
                    throw ModelError(file: path, "holds tensor \(quote(t.name)), which \(quote(other)) holds too")
                }
            }
            tensors += parsed.tensors
            perShard.append(parsed.metadata)
        }
        // Shards usually repeat the same `__metadata__` ({"format": "pt"}): shown once then,
        // otherwise each shard's entries under its file name.
        if perShard.allSatisfy({ $0 == perShard[0] }) { metadata = perShard.first ?? [] }
        else {
            for (path, entries) in zip(paths, perShard) {
                let name = (path as NSString).lastPathComponent
                metadata += entries.map { MetadataEntry(key: name + ": " + $0.key, value: $0.value) }
            }
        }
        if let (index, indexPath) = index {
            let folder = (indexPath as NSString).deletingLastPathComponent
            for (tensor, shard) in index.weightMap {
                let expected = folder.isEmpty ? shard : folder + "/" + shard
                guard let actual = holder[tensor] else {
                    throw ModelError(file: indexPath, "maps tensor \(quote(tensor)) to \(quote(shard)), but no shard holds it")
                }
                if actual != expected {
                    throw ModelError(file: indexPath, "maps tensor \(quote(tensor)) to \(quote(shard)), but it is in "
                                     + quote((actual as NSString).lastPathComponent))
                }
            }
            metadata = index.metadata + metadata
        }
        return try TensorListing.make(format: .safetensors, tensors: tensors, metadata: metadata, summary: [],
                                      files: paths, file: checkpoint)
    }

    static func checkShardName(_ name: String, _ s: JSONScanner) throws(ModelError) {
        // An index from the internet must not send us reading files outside its folder.
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\\")
            || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw s.error("shard \(quote(name)) is not a plain file name; shards must sit beside the index")
        }
    }

    // MARK: The header

    /// The header length from the first 8 bytes, checked against the cap and the file's size.
    static func headerLength(_ first: ArraySlice<UInt8>, fileSize: UInt64, file: String) throws(ModelError) -> Int {
        guard first.count == 8, fileSize >= 8 else {
            throw ModelError(file: file, "is \(fileSize) bytes long; a safetensors file starts with an 8-byte header length")
        }
        var n: UInt64 = 0
        for (k, b) in first.enumerated() { n |= UInt64(b) << (8 * k) }
        guard n <= UInt64(maxHeaderBytes) else {
            throw ModelError(file: file, "declares a header of \(n) bytes; safetensors headers are limited to "
                             + "\(maxHeaderBytes) bytes (is this a safetensors file?)")
        }
        guard n <= fileSize - 8 else {
            throw ModelError(file: file, "declares a header of \(n) bytes but only \(fileSize - 8) bytes follow the "
                             + "length (a truncated download, or not a safetensors file)")
        }
        guard n >= 2 else { throw ModelError(file: file, "declares a header of \(n) bytes; the smallest header is {}") }
        return Int(n)
    }

    struct Parsed {
        var tensors: [TensorInfo]
        var metadata: [MetadataEntry]
    }

    private struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: UInt64
        var end: UInt64
        var elements: Int
        var bytes: Int
    }

    /// Parses and validates the JSON header; `dataSize` is what the file holds after it.
    static func parseHeader(_ header: ArraySlice<UInt8>, dataSize: UInt64, file: String) throws(ModelError) -> Parsed {
        var s = JSONScanner(header, file: file, what: "the header")
        var entries: [Entry] = []
        var metadata: [MetadataEntry] = []
        var names: Set<String> = []
        try s.topObject { s, key throws(ModelError) in
            guard names.insert(key).inserted else {
                throw s.error(key == "__metadata__" ? "__metadata__ appears twice"
                              : "tensor \(quote(key)) appears twice; safetensors forbids duplicate names")
            }
            if key == "__metadata__" {
                if s.skipNull() { return }
                try s.object(depth: 1, context: "__metadata__") { s, k throws(ModelError) in
                    let v = try s.string(context: "__metadata__ value \(quote(k)) (all values must be strings)")
                    metadata.append(MetadataEntry(key: k, value: v))
                }
                return
            }
            entries.append(try tensorEntry(&s, name: key))
        }

        for i in entries.indices {
            let e = entries[i]
            guard let bits = dtypeBits[e.dtype] else {
                throw ModelError(file: file, "tensor \(quote(e.name)) has dtype \(quote(e.dtype)), which safetensors does not "
                                 + "define; the dtypes are \(dtypeList)")
            }
            var elements = 1
            for d in e.shape {
                let (p, o) = elements.multipliedReportingOverflow(by: d)
                guard !o else {
                    throw ModelError(file: file, "tensor \(quote(e.name)) has shape \(e.shape): its product does not fit in 64 bits")
                }
                elements = p
            }
            let (totalBits, o) = elements.multipliedReportingOverflow(by: bits)
            guard !o else {
                throw ModelError(file: file, "tensor \(quote(e.name)) of shape \(e.shape) and dtype \(e.dtype) has a size that "
                                 + "does not fit in 64 bits")
            }
            guard totalBits % 8 == 0 else {
                throw ModelError(file: file, "tensor \(quote(e.name)) holds \(elements) values of \(bits) bits, which is not a "
                                 + "whole number of bytes")
            }
            guard e.begin <= e.end else {
                throw ModelError(file: file, "tensor \(quote(e.name)) has data_offsets [\(e.begin), \(e.end)]: the end comes "
                                 + "before the beginning")
            }
            guard e.end - e.begin == UInt64(totalBits / 8) else {
                throw ModelError(file: file, "tensor \(quote(e.name)) has data_offsets [\(e.begin), \(e.end)] (\(e.end - e.begin) "
                                 + "bytes) but shape \(e.shape) of \(e.dtype) takes \(totalBits / 8) bytes")
            }
            entries[i].elements = elements
            entries[i].bytes = totalBits / 8
        }

        // The reference reader orders tensors by offset whatever their order in the JSON, then
        // requires each to start where the previous one ended: no overlap, no hole.
        let ordered = entries.indices.sorted {
            let a = entries[$0], b = entries[$1]
            return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : $0 < $1
        }
        var expected: UInt64 = 0
        var previous: String?
        for i in ordered {
            let e = entries[i]
            if e.begin < expected {
                throw ModelError(file: file, "tensors \(quote(previous ?? "")) and \(quote(e.name)) overlap: \(quote(e.name)) "
                                 + "starts at data byte \(e.begin), before the previous one ends at \(expected)")
            }
            if e.begin > expected {
                throw ModelError(file: file, "data bytes \(expected) to \(e.begin) (before tensor \(quote(e.name))) belong to no "
                                 + "tensor; safetensors requires the data to be fully indexed")
            }
            expected = e.end
            previous = e.name
        }
        if expected > dataSize {
            throw ModelError(file: file, "is truncated: its header places tensor data up to byte \(expected) after the header, "
                             + "but only \(dataSize) bytes follow it (an incomplete download?)")
        }
        if expected < dataSize {
            throw ModelError(file: file, "has \(dataSize - expected) bytes after the last tensor's data; safetensors "
                             + "requires the data to be fully indexed")
        }
        let tensors = ordered.map { i in
            let e = entries[i]
            return TensorInfo(name: e.name, shape: e.shape, dtype: e.dtype, elements: e.elements, bytes: e.bytes, file: file)
        }
        return Parsed(tensors: tensors, metadata: metadata)
    }

    private static func tensorEntry(_ s: inout JSONScanner, name: String) throws(ModelError) -> Entry {
        var dtype: String?
        var shape: [Int]?
        var offsets: [UInt64]?
        var fields: Set<String> = []
        let context = "tensor \(quote(name))"
        try s.object(depth: 1, context: context) { s, field throws(ModelError) in
            guard fields.insert(field).inserted else { throw s.error("\(context) has \(quote(field)) twice") }
            switch field {
            case "dtype": dtype = try s.string(context: "the dtype of \(context)")
            case "shape":
                shape = []
                try s.array(context: "the shape of \(context)") { s throws(ModelError) in
                    let d = try s.unsigned(context: "a dimension of \(context)")
                    guard d <= UInt64(Int.max) else {
                        throw s.error("\(context) has dimension \(d); dimensions above 2^63-1 cannot be counted")
                    }
                    guard shape!.count < 1024 else { throw s.error("\(context) has more than 1024 dimensions") }
                    shape!.append(Int(d))
                }
            case "data_offsets":
                offsets = []
                try s.array(context: "the data_offsets of \(context)") { s throws(ModelError) in
                    guard offsets!.count < 2 else { throw s.error("the data_offsets of \(context) must be [begin, end]") }
                    offsets!.append(try s.unsigned(context: "an offset of \(context)"))
                }
            default:
                try s.skipValue(depth: 2)
            }
        }
        guard let dtype else { throw s.error("\(context) has no \"dtype\"") }
        guard let shape else { throw s.error("\(context) has no \"shape\"") }
        guard let offsets else { throw s.error("\(context) has no \"data_offsets\"") }
        guard offsets.count == 2 else { throw s.error("the data_offsets of \(context) must be [begin, end]") }
        return Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1], elements: 0, bytes: 0)
    }

    static func quote(_ s: String) -> String { "\"" + TerminalSafe.escapeShort(s, limit: 80) + "\"" }
}

/// Strict JSON as the reference reader (serde_json) takes it, read straight into what the caller
/// wants with no intermediate tree: objects are walked key by key, duplicate keys are the caller's
/// to detect (with a set), unknown values are skipped with their depth bounded.
struct JSONScanner {
    static let maxDepth = 128   // serde_json's recursion limit

    let bytes: ArraySlice<UInt8>
    let file: String
    /// "the header" or "the index", for messages.
    let what: String
    var pos: Int

    init(_ bytes: ArraySlice<UInt8>, file: String, what: String) {
        self.bytes = bytes
        self.file = file
        self.what = what
        pos = bytes.startIndex
    }

    func error(_ message: String) -> ModelError {
        ModelError(file: file, "\(what) (byte \(pos - bytes.startIndex)): \(message)")
    }

    private func syntax(_ expected: String) -> ModelError {
        let found: String
        if pos >= bytes.endIndex { found = "the end of \(what)" }
        else {
            let b = bytes[pos]
            found = b >= 0x20 && b < 0x7F ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x" + String(b, radix: 16)
        }
        return error("is not valid JSON: expected \(expected), found \(found)")
    }

    mutating func skipSpace() {
        while pos < bytes.endIndex {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func eat(_ c: UInt8) -> Bool {
        skipSpace()
        if pos < bytes.endIndex && bytes[pos] == c { pos += 1; return true }
        return false
    }

    /// The whole input is one object; `body` reads each value. Trailing whitespace is allowed (the
    /// format pads headers with spaces), anything else is not.
    mutating func topObject(_ body: (inout JSONScanner, String) throws(ModelError) -> Void) throws(ModelError) {
        skipSpace()
        guard pos < bytes.endIndex, bytes[pos] == UInt8(ascii: "{") else {
            if pos < bytes.endIndex, [UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "t"), UInt8(ascii: "f"),
                                      UInt8(ascii: "n"), UInt8(ascii: "-")].contains(bytes[pos])
                || (pos < bytes.endIndex && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
                throw error("is JSON but not an object; it must be {\"tensor name\": {...}, ...}")
            }
            throw syntax("'{' (the start of a JSON object)")
        }
        try object(depth: 0, context: what, body)
        skipSpace()
        if pos < bytes.endIndex { throw error("is not valid JSON: text follows the end of the object") }
    }

    mutating func object(depth: Int, context: String,
                         _ body: (inout JSONScanner, String) throws(ModelError) -> Void) throws(ModelError) {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
        guard eat(UInt8(ascii: "{")) else { throw error("\(context) must be a JSON object") }
        if eat(UInt8(ascii: "}")) { return }
        while true {
            skipSpace()
            guard pos < bytes.endIndex, bytes[pos] == UInt8(ascii: "\"") else { throw syntax("a quoted key") }
            let key = try rawString()
            guard eat(UInt8(ascii: ":")) else { throw syntax("':' after a key") }
            try body(&self, key)
            if eat(UInt8(ascii: ",")) { continue }
            if eat(UInt8(ascii: "}")) { return }
            throw syntax("',' or '}'")
        }
    }

    mutating func array(context: String, _ body: (inout JSONScanner) throws(ModelError) -> Void) throws(ModelError) {
        guard eat(UInt8(ascii: "[")) else { throw error("\(context) must be a JSON list") }
        if eat(UInt8(ascii: "]")) { return }
        while true {
            try body(&self)
            if eat(UInt8(ascii: ",")) { continue }
            if eat(UInt8(ascii: "]")) { return }
            throw syntax("',' or ']'")
        }
    }

    mutating func skipNull() -> Bool {
        skipSpace()
        let w = Array("null".utf8)
        if bytes.endIndex - pos >= 4, bytes[pos..<pos + 4].elementsEqual(w) { pos += 4; return true }
        return false
    }

    mutating func string(context: String) throws(ModelError) -> String {
        skipSpace()
        guard pos < bytes.endIndex, bytes[pos] == UInt8(ascii: "\"") else { throw error("\(context) must be a string") }
        return try rawString()
    }

    /// A non-negative integer written as JSON digits, as the reference reader's `usize` fields take it.
    mutating func unsigned(context: String) throws(ModelError) -> UInt64 {
        skipSpace()
        let start = pos
        guard pos < bytes.endIndex else { throw syntax("a number") }
        if bytes[pos] == UInt8(ascii: "-") { throw error("\(context) is negative; it must be 0 or more") }
        guard bytes[pos] >= 0x30 && bytes[pos] <= 0x39 else { throw error("\(context) must be a whole number") }
        var v: UInt64 = 0
        var overflow = false
        while pos < bytes.endIndex, bytes[pos] >= 0x30 && bytes[pos] <= 0x39 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[pos] - 0x30))
            overflow = overflow || o1 || o2
            v = a
            pos += 1
        }
        if pos - start > 1 && bytes[start] == 0x30 { pos = start; throw error("\(context) has a leading zero, which JSON forbids") }
        if pos < bytes.endIndex, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[pos]) {
            throw error("\(context) must be a whole number")
        }
        if overflow { pos = start; throw error("\(context) does not fit in 64 bits") }
        return v
    }

    /// A scalar as text for display, or a short placeholder for a list or an object (skipped).
    mutating func displayValue(depth: Int) throws(ModelError) -> String {
        skipSpace()
        guard pos < bytes.endIndex else { throw syntax("a value") }
        switch bytes[pos] {
        case UInt8(ascii: "\""): return try rawString()
        case UInt8(ascii: "{"): try skipValue(depth: depth); return "{…}"
        case UInt8(ascii: "["): try skipValue(depth: depth); return "[…]"
        default:
            let start = pos
            try skipValue(depth: depth)
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
    }

    mutating func skipValue(depth: Int) throws(ModelError) {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
        skipSpace()
        guard pos < bytes.endIndex else { throw syntax("a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): try object(depth: depth, context: "a value") { s, _ throws(ModelError) in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array(context: "a value") { s throws(ModelError) in try s.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: String) throws(ModelError) {
        let w = Array(word.utf8)
        guard bytes.endIndex - pos >= w.count, bytes[pos..<pos + w.count].elementsEqual(w) else { throw syntax(word) }
        pos += w.count
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func number() throws(ModelError) {
        func digits(_ s: inout JSONScanner) -> Int {
            let start = s.pos
            while s.pos < s.bytes.endIndex, s.bytes[s.pos] >= 0x30 && s.bytes[s.pos] <= 0x39 { s.pos += 1 }
            return s.pos - start
        }
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let n = digits(&self)
        guard n > 0 else { throw syntax("a value") }
        if n > 1 && bytes[intStart] == 0x30 { throw error("is not valid JSON: a number has a leading zero") }
        if pos < bytes.endIndex, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits(&self) > 0 else { throw syntax("a digit after '.'") }
        }
        if pos < bytes.endIndex, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < bytes.endIndex, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits(&self) > 0 else { throw syntax("a digit in the exponent") }
        }
    }

    /// A string starting at the opening quote: escapes decoded, UTF-8 checked, raw control
    /// characters refused (as JSON requires).
    private mutating func rawString() throws(ModelError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escape.
        while pos < bytes.endIndex {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                guard let s = String(validating: bytes[start..<pos], as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("is not valid JSON: a control character (0x\(String(b, radix: 16))) inside a string") }
            pos += 1
        }
        var out: [UInt8] = Array(bytes[start..<pos])
        while pos < bytes.endIndex {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                guard let s = String(validating: out, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
                pos += 1
                return s
            }
            if b < 0x20 { throw error("is not valid JSON: a control character (0x\(String(b, radix: 16))) inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); pos += 1; continue }
            pos += 1
            guard pos < bytes.endIndex else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate must be followed by an escaped low one.
                    guard bytes.endIndex - pos >= 2, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw error("a string has an unpaired surrogate escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a string has an unpaired surrogate escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw error("a string has an unpaired surrogate escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
            default:
                let shown = e >= 0x20 && e < 0x7F ? String(UnicodeScalar(e)) : "0x" + String(e, radix: 16)
                throw error("is not valid JSON: unknown escape after '\\' (\(shown)) in a string")
            }
        }
        throw error("is not valid JSON: a string is not closed")
    }

    private mutating func hex4() throws(ModelError) -> UInt32 {
        guard bytes.endIndex - pos >= 4 else { throw error("is not valid JSON: \\u needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("is not valid JSON: \\u needs four hex digits")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }
}
