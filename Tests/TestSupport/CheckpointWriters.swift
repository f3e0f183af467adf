import Foundation

// Small writers of safetensors and GGUF files for the tests (unit and end-to-end): checkpoints are
// generated where they are needed, full-size ones as sparse files whose data are holes.

/// A folder under the system's temporary directory for one test; the test removes it when done.
public func tensorTempDir(_ prefix: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())").path
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes `head`, then extends the file to `size` bytes with ftruncate: the rest is a hole that
/// reads as zeros and takes no disk, so a 13 GB checkpoint costs a few KiB.
public func writeSparse(_ path: String, head: [UInt8], size: UInt64) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    defer { close(fd) }
    let n = head.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    precondition(n == head.count)
    precondition(ftruncate(fd, off_t(size)) == 0)
}

/// A minimal safetensors writer for tests, laying tensors out one after another like the reference
/// writer (huggingface/safetensors `prepare`): header padded with spaces to a multiple of 8.
public enum SafetensorsFile {
    /// Bits per element, from the reference's `Dtype::bitsize`.
    public static let bits: [String: Int] = ["F32": 32, "F16": 16, "BF16": 16, "I64": 64, "U8": 8, "BOOL": 8, "F8_E4M3": 8,
                                      "F8_E8M0": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "C64": 64]

    public typealias Tensor = (name: String, dtype: String, shape: [Int])

    /// The JSON header and the size of the data it describes.
    public static func header(_ tensors: [Tensor], metadata: [(String, String)]? = nil) -> (json: String, dataSize: Int) {
        var parts: [String] = []
        if let metadata {
            parts.append("\"__metadata__\":{" + metadata.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}")
        }
        var offset = 0
        for t in tensors {
            let size = t.shape.reduce(1, *) * bits[t.dtype]! / 8
            parts.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                         + "\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        return ("{" + parts.joined(separator: ",") + "}", offset)
    }

    /// Length, header (space-padded to a multiple of 8) and the start of the data.
    public static func head(_ json: String) -> [UInt8] {
        var h = Array(json.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(h.count) >> (8 * $0)) }
        out += h
        return out
    }

    /// A whole small file in memory, data zero-filled.
    public static func bytes(_ json: String, dataSize: Int) -> [UInt8] { head(json) + [UInt8](repeating: 0, count: dataSize) }

    public static func bytes(_ tensors: [Tensor], metadata: [(String, String)]? = nil) -> [UInt8] {
        let (json, size) = header(tensors, metadata: metadata)
        return bytes(json, dataSize: size)
    }

    public static func write(_ path: String, _ tensors: [Tensor], metadata: [(String, String)]? = nil) {
        let (json, size) = header(tensors, metadata: metadata)
        let h = head(json)
        writeSparse(path, head: h, size: UInt64(h.count + size))
    }
}

/// The tensors of the published meta-llama/Llama-2-7b-hf checkpoint, in its state-dict order:
/// vocabulary 32,000, width 4,096, FFN 11,008, 32 layers (config.json of that repository). The
/// safetensors shards hold one 64-value rotary `inv_freq` buffer per layer besides the parameters.
public enum Llama2_7B {
    public static func tensors(invFreq: Bool) -> [(name: String, shape: [Int])] {
        var out: [(String, [Int])] = [("model.embed_tokens.weight", [32_000, 4_096])]
        for l in 0..<32 {
            let p = "model.layers.\(l)."
            out += [(p + "self_attn.q_proj.weight", [4_096, 4_096]), (p + "self_attn.k_proj.weight", [4_096, 4_096]),
                    (p + "self_attn.v_proj.weight", [4_096, 4_096]), (p + "self_attn.o_proj.weight", [4_096, 4_096])]
            if invFreq { out.append((p + "self_attn.rotary_emb.inv_freq", [64])) }
            out += [(p + "mlp.gate_proj.weight", [11_008, 4_096]), (p + "mlp.up_proj.weight", [11_008, 4_096]),
                    (p + "mlp.down_proj.weight", [4_096, 11_008]), (p + "input_layernorm.weight", [4_096]),
                    (p + "post_attention_layernorm.weight", [4_096])]
        }
        out += [("model.norm.weight", [4_096]), ("lm_head.weight", [32_000, 4_096])]
        return out
    }

    /// Two sparse shards split where the published ones are (embedding and layers 0-23 in the first,
    /// 9.98 GB; layers 24-31, the final norm and the head in the second, 3.5 GB) and the index,
    /// in F16 with the inv_freq buffers in F32, as published.
    public static func writeFolder(_ dir: String, invFreq: Bool) {
        let all = tensors(invFreq: invFreq)
        let split = all.firstIndex { $0.name.hasPrefix("model.layers.24.") }!
        let shards = [("model-00001-of-00002.safetensors", Array(all[..<split])),
                      ("model-00002-of-00002.safetensors", Array(all[split...]))]
        var map: [String] = []
        var total = 0
        for (file, ts) in shards {
            let typed = ts.map { (name: $0.name, dtype: $0.name.hasSuffix("inv_freq") ? "F32" : "F16", shape: $0.shape) }
            SafetensorsFile.write(dir + "/" + file, typed)
            total += SafetensorsFile.header(typed).dataSize
            map += ts.map { "    \"\($0.name)\": \"\(file)\"" }
        }
        let index = "{\n  \"metadata\": {\n    \"total_size\": \(total)\n  },\n  \"weight_map\": {\n"
            + map.joined(separator: ",\n") + "\n  }\n}\n"
        try! index.write(toFile: dir + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
    }
}

/// A minimal GGUF writer for tests, after ggml's docs/gguf.md: header, key/values, tensor infos,
/// padding to the alignment, then the data, each tensor padded to the alignment as gguf-py does.
public struct GGUFFile {
    public indirect enum Value {
        case u8(UInt8), i8(Int8), u16(UInt16), i16(Int16), u32(UInt32), i32(Int32), f32(Float), bool(UInt8)
        case string(String), u64(UInt64), i64(Int64), f64(Double)
        /// Element type and elements (which must all be of that type).
        case array(UInt32, [Value])
        /// A string whose declared length differs from its bytes.
        case rawString(length: UInt64, bytes: [UInt8])
        /// An array header alone: element type and declared count, no elements.
        case rawArray(UInt32, UInt64)

        public var type: UInt32 {
            switch self {
            case .u8: return 0
            case .i8: return 1
            case .u16: return 2
            case .i16: return 3
            case .u32: return 4
            case .i32: return 5
            case .f32: return 6
            case .bool: return 7
            case .string, .rawString: return 8
            case .array, .rawArray: return 9
            case .u64: return 10
            case .i64: return 11
            case .f64: return 12
            }
        }
    }

    public struct Tensor {
        public var name: String
        /// ggml's order: innermost dimension first.
        public var dims: [UInt64]
        public var type: UInt32
        /// Laid out after the previous laid-out tensor when nil.
        public var offset: UInt64? = nil

        public init(name: String, dims: [UInt64], type: UInt32, offset: UInt64? = nil) {
            self.name = name
            self.dims = dims
            self.type = type
            self.offset = offset
        }
    }

    /// gguf-py's GGML_QUANT_SIZES (block size, type size) for the types these tests write.
    public static let sizes: [UInt32: (block: UInt64, size: UInt64)] = [0: (1, 4), 1: (1, 2), 2: (32, 18), 8: (32, 34),
                                                                 12: (256, 144), 14: (256, 210), 30: (1, 2)]

    public var magic = Array("GGUF".utf8)
    public var version: UInt32 = 3
    public var bigEndian = false
    public var kv: [(String, Value)] = []
    public var tensors: [Tensor] = []
    public var tensorCount: UInt64? = nil
    public var kvCount: UInt64? = nil
    public var alignment: UInt64 = 32

    public init() {}

    private func u32(_ v: UInt32, _ out: inout [UInt8]) {
        let x = bigEndian ? v.byteSwapped : v
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: x >> (8 * k))) }
    }

    private func u64(_ v: UInt64, _ out: inout [UInt8]) {
        let x = bigEndian ? v.byteSwapped : v
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: x >> (8 * k))) }
    }

    private func string(_ s: String, _ out: inout [UInt8]) {
        u64(UInt64(s.utf8.count), &out)
        out += Array(s.utf8)
    }

    private func value(_ v: Value, _ out: inout [UInt8]) {
        switch v {
        case .u8(let x): out.append(x)
        case .i8(let x): out.append(UInt8(bitPattern: x))
        case .bool(let x): out.append(x)
        case .u16(let x): let y = bigEndian ? x.byteSwapped : x; out += [UInt8(y & 0xFF), UInt8(y >> 8)]
        case .i16(let x): let y = bigEndian ? UInt16(bitPattern: x).byteSwapped : UInt16(bitPattern: x); out += [UInt8(y & 0xFF), UInt8(y >> 8)]
        case .u32(let x): u32(x, &out)
        case .i32(let x): u32(UInt32(bitPattern: x), &out)
        case .f32(let x): u32(x.bitPattern, &out)
        case .u64(let x): u64(x, &out)
        case .i64(let x): u64(UInt64(bitPattern: x), &out)
        case .f64(let x): u64(x.bitPattern, &out)
        case .string(let s): string(s, &out)
        case .rawString(let n, let bytes): u64(n, &out); out += bytes
        case .array(let t, let items):
            u32(t, &out)
            u64(UInt64(items.count), &out)
            for i in items { value(i, &out) }
        case .rawArray(let t, let n): u32(t, &out); u64(n, &out)
        }
    }

    public static func pad(_ x: UInt64, _ a: UInt64) -> UInt64 { (x &+ a &- 1) / a &* a }

    public static func bytes(_ t: Tensor) -> UInt64 {
        let (block, size) = sizes[t.type] ?? (1, 1)
        // Wrapping: hostile tests give dimensions whose product overflows.
        return t.dims.reduce(1, &*) / block &* size
    }

    /// The header, padded to the alignment, and the size of the whole file.
    public func header() -> (bytes: [UInt8], fileSize: UInt64) {
        var out = magic
        u32(version, &out)
        u64(tensorCount ?? UInt64(tensors.count), &out)
        u64(kvCount ?? UInt64(kv.count), &out)
        for (k, v) in kv {
            string(k, &out)
            u32(v.type, &out)
            value(v, &out)
        }
        var offset: UInt64 = 0
        var end: UInt64 = 0
        for t in tensors {
            string(t.name, &out)
            u32(UInt32(t.dims.count), &out)
            for d in t.dims { u64(d, &out) }
            u32(t.type, &out)
            if let o = t.offset {
                // Placed by hand (hostile tests): the file keeps the size of the other tensors.
                u64(o, &out)
            } else {
                u64(offset, &out)
                offset = GGUFFile.pad(offset &+ GGUFFile.bytes(t), alignment)
                end = offset
            }
        }
        if !tensors.isEmpty { while UInt64(out.count) % alignment != 0 { out.append(0) } }
        return (out, UInt64(out.count) + end)
    }

    /// The whole file in memory, data zero-filled (small files only).
    public var bytes: [UInt8] {
        let (h, size) = header()
        return h + [UInt8](repeating: 0, count: Int(size) - h.count)
    }

    public func write(_ path: String) {
        let (h, size) = header()
        writeSparse(path, head: h, size: size)
    }

    /// Llama-2-7B's tensors as llama.cpp's convert_hf_to_gguf.py names and shapes them (ggml order),
    /// 2-D weights in `type`, norms in F32, with the metadata llama.cpp writes for it.
    public static func llama2_7B(type: UInt32, fileType: UInt32) -> GGUFFile {
        var f = GGUFFile()
        f.kv = [("general.architecture", .string("llama")), ("general.name", .string("Llama 2 7B")),
                ("llama.context_length", .u32(4096)), ("llama.embedding_length", .u32(4096)),
                ("llama.block_count", .u32(32)), ("llama.feed_forward_length", .u32(11008)),
                ("llama.attention.head_count", .u32(32)), ("general.file_type", .u32(fileType)),
                ("tokenizer.ggml.tokens", .array(8, (0..<32_000).map { .string("t\($0)") })),
                ("tokenizer.ggml.scores", .array(6, (0..<32_000).map { .f32(Float($0)) })),
                ("general.quantization_version", .u32(2))]
        f.tensors.append(Tensor(name: "token_embd.weight", dims: [4096, 32_000], type: type))
        for l in 0..<32 {
            let p = "blk.\(l)."
            f.tensors += [Tensor(name: p + "attn_q.weight", dims: [4096, 4096], type: type),
                          Tensor(name: p + "attn_k.weight", dims: [4096, 4096], type: type),
                          Tensor(name: p + "attn_v.weight", dims: [4096, 4096], type: type),
                          Tensor(name: p + "attn_output.weight", dims: [4096, 4096], type: type),
                          Tensor(name: p + "ffn_gate.weight", dims: [4096, 11_008], type: type),
                          Tensor(name: p + "ffn_up.weight", dims: [4096, 11_008], type: type),
                          Tensor(name: p + "ffn_down.weight", dims: [11_008, 4096], type: type),
                          Tensor(name: p + "attn_norm.weight", dims: [4096], type: 0),
                          Tensor(name: p + "ffn_norm.weight", dims: [4096], type: 0)]
        }
        f.tensors += [Tensor(name: "output_norm.weight", dims: [4096], type: 0),
                      Tensor(name: "output.weight", dims: [4096, 32_000], type: type)]
        return f
    }
}

