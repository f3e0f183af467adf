import ParamCountCore

/// Reads GGUF files (versions 2 and 3) by their headers: magic, version, counts, metadata key/values
/// and tensor infos; the tensor data is never read. Layout and checks follow ggml's `docs/gguf.md`
/// and reader (`src/gguf.cpp`); the type table is gguf-py's `GGML_QUANT_SIZES` (gguf 0.19.0).
public enum GGUF {
    /// The metadata and tensor infos of real files take a few MiB (a 256k-token vocabulary, 100,000
    /// tensors); past this limit a header is refused rather than walked.
    public static let maxHeaderBytes: UInt64 = 256 * 1024 * 1024
    /// The spec's limit for keys (2^16-1 bytes); tensor names get the same bound.
    public static let maxKeyBytes = 65_535
    /// ggml's GGML_MAX_DIMS.
    public static let maxDimensions = 4
    static let maxArrayDepth = 16
    /// Longer string values are cut to this for display; the rest is skipped, not read.
    static let displayBytes = 1024
    static let defaultAlignment: UInt64 = 32

    /// A ggml tensor type: `blockSize` values are stored in `typeSize` bytes.
    public struct GGMLType: Sendable, Equatable {
        public var id: UInt32
        public var name: String
        public var blockSize: Int
        public var typeSize: Int
    }

    /// gguf-py's GGML_QUANT_SIZES (block size, type size), with QK_K = 256.
    public static let types: [UInt32: GGMLType] = {
        let qk = 256
        let table: [(UInt32, String, Int, Int)] = [
            (0, "F32", 1, 4), (1, "F16", 1, 2), (2, "Q4_0", 32, 2 + 16), (3, "Q4_1", 32, 2 + 2 + 16),
            (6, "Q5_0", 32, 2 + 4 + 16), (7, "Q5_1", 32, 2 + 2 + 4 + 16), (8, "Q8_0", 32, 2 + 32),
            (9, "Q8_1", 32, 4 + 4 + 32),
            (10, "Q2_K", 256, 2 + 2 + qk / 16 + qk / 4), (11, "Q3_K", 256, 2 + qk / 4 + qk / 8 + 12),
            (12, "Q4_K", 256, 2 + 2 + qk / 2 + 12), (13, "Q5_K", 256, 2 + 2 + qk / 2 + qk / 8 + 12),
            (14, "Q6_K", 256, 2 + qk / 2 + qk / 4 + qk / 16), (15, "Q8_K", 256, 4 + qk + qk / 8),
            (16, "IQ2_XXS", 256, 2 + qk / 4), (17, "IQ2_XS", 256, 2 + qk / 4 + qk / 32),
            (18, "IQ3_XXS", 256, 2 + qk / 4 + qk / 8), (19, "IQ1_S", 256, 2 + qk / 8 + qk / 16),
            (20, "IQ4_NL", 32, 2 + 16), (21, "IQ3_S", 256, 2 + qk / 4 + qk / 8 + qk / 32 + 4),
            (22, "IQ2_S", 256, 2 + qk / 4 + qk / 16), (23, "IQ4_XS", 256, 2 + 2 + qk / 2 + qk / 64),
            (24, "I8", 1, 1), (25, "I16", 1, 2), (26, "I32", 1, 4), (27, "I64", 1, 8), (28, "F64", 1, 8),
            (29, "IQ1_M", 256, qk / 8 + qk / 16 + qk / 32), (30, "BF16", 1, 2),
            (34, "TQ1_0", 256, 2 + 4 * 13), (35, "TQ2_0", 256, 2 + 64), (39, "MXFP4", 32, 1 + 16),
            (40, "NVFP4", 64, 4 + 32), (41, "Q1_0", 128, 2 + 16),
        ]
        return Dictionary(uniqueKeysWithValues: table.map { ($0.0, GGMLType(id: $0.0, name: $0.1, blockSize: $0.2, typeSize: $0.3)) })
    }()

    /// `types` by id, for a lookup per tensor without hashing.
    static let typeTable: [GGMLType?] = (0...(types.keys.max()!)).map { types[$0] }

    /// Type ids ggml once had and no longer reads from GGUF files.
    static let removedTypes: [UInt32: String] = [4: "Q4_2", 5: "Q4_3", 31: "Q4_0_4_4", 32: "Q4_0_4_8", 33: "Q4_0_8_8",
                                                 36: "IQ4_NL_4_4", 37: "IQ4_NL_4_8", 38: "IQ4_NL_8_8"]

    /// `general.file_type` (llama.cpp's llama_ftype, gguf-py's LlamaFileType) as the quantisation
    /// names llama.cpp's tools print.
    public static let fileTypes: [UInt64: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 4: "Q4_1_SOME_F16", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
        11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
        19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S",
        27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 33: "Q4_0_4_4", 34: "Q4_0_4_8",
        35: "Q4_0_8_8", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE", 39: "NVFP4", 40: "Q1_0", 1024: "guessed",
    ]

    // MARK: Entry points

    public static func read(path: String) throws(ModelError) -> TensorListing {
        let handle = try BoundedFile(path: path)
        var cursor = ByteCursor(file: handle, limit: maxHeaderBytes, limitMessage: limitMessage)
        return try parse(&cursor, fileSize: handle.size, file: path)
    }

    /// Parses a whole GGUF file held in memory. `file` names it in errors.
    public static func parse(bytes: [UInt8], file: String) throws(ModelError) -> TensorListing {
        var cursor = ByteCursor(bytes: bytes, file: file, limit: maxHeaderBytes, limitMessage: limitMessage)
        return try parse(&cursor, fileSize: UInt64(bytes.count), file: file)
    }

    static let limitMessage = "the metadata and tensor list run past \(maxHeaderBytes / 1024 / 1024) MiB, the limit for a GGUF header"

    // MARK: Header

    /// A metadata value, kept only as far as display and a few lookups need.
    enum Value {
        case unsigned(UInt64)
        case signed(Int64)
        case float(Double)
        case bool(Bool)
        case string(String)
        case array(String)

        var text: String {
            switch self {
            case .unsigned(let v): return String(v)
            case .signed(let v): return String(v)
            case .float(let v): return String(v)
            case .bool(let v): return String(v)
            case .string(let s), .array(let s): return s
            }
        }

        var integer: UInt64? {
            switch self {
            case .unsigned(let v): return v
            case .signed(let v): return v >= 0 ? UInt64(v) : nil
            default: return nil
            }
        }
    }

    static let valueTypeNames = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool", "string",
                                 "array", "uint64", "int64", "float64"]
    /// Bytes of each fixed-size value type; strings and arrays are 0.
    static let valueTypeSizes = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8]

    struct Reader {
        var c: ByteCursor
        let bigEndian: Bool
        let file: String

        func error(_ message: String) -> ModelError { ModelError(file: file, message) }

        mutating func u32(_ what: @autoclosure () -> String) throws(ModelError) -> UInt32 { try c.u32(what(), bigEndian: bigEndian) }
        mutating func u64(_ what: @autoclosure () -> String) throws(ModelError) -> UInt64 { try c.u64(what(), bigEndian: bigEndian) }

        /// A length read from the file must fit in what is left of the header.
        func checkLength(_ n: UInt64, _ what: @autoclosure () -> String, at: UInt64) throws(ModelError) {
            guard n > c.remaining else { return }
            if c.limit < c.end { throw error("\(what()) at byte \(at) is \(n) bytes long: \(c.limitMessage)") }
            throw error("\(what()) at byte \(at) is \(n) bytes long but only \(c.remaining) bytes of the file follow "
                        + "(a truncated download?)")
        }

        /// A string read in full (keys, tensor names), at most `cap` bytes.
        mutating func string(_ what: @autoclosure () -> String, cap: Int) throws(ModelError) -> String {
            let at = c.position
            let n = try u64("the length of \(what())")
            guard n <= UInt64(cap) else {
                throw error("\(what()) at byte \(at) is \(n) bytes long; at most \(cap) are allowed")
            }
            try checkLength(n, what(), at: at)
            return String(decoding: try c.bytes(Int(n), what: what()), as: UTF8.self)
        }

        /// A string value: its start for display, the rest skipped.
        mutating func displayString(_ what: String) throws(ModelError) -> String {
            let at = c.position
            let n = try u64("the length of \(what)")
            try checkLength(n, what, at: at)
            if n <= UInt64(displayBytes) { return String(decoding: try c.bytes(Int(n), what: what), as: UTF8.self) }
            let head = String(decoding: try c.bytes(displayBytes, what: what), as: UTF8.self)
            try c.skip(n - UInt64(displayBytes), what: what)
            return head + "… (\(n) bytes)"
        }

        mutating func value(type: UInt32, what: String, depth: Int) throws(ModelError) -> Value {
            switch type {
            case 0: return .unsigned(UInt64(try c.u8(what)))
            case 1: return .signed(Int64(Int8(bitPattern: try c.u8(what))))
            case 2, 3:
                let b = try c.bytes(2, what: what)
                var v = UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
                if bigEndian { v = v.byteSwapped }
                return type == 2 ? .unsigned(UInt64(v)) : .signed(Int64(Int16(bitPattern: v)))
            case 4: return .unsigned(UInt64(try u32(what)))
            case 5: return .signed(Int64(Int32(bitPattern: try u32(what))))
            case 6: return .float(Double(Float(bitPattern: try u32(what))))
            case 7:
                let at = c.position
                let b = try c.u8(what)
                guard b <= 1 else { throw error("\(what) at byte \(at) is a bool of value \(b); a GGUF bool is 0 or 1") }
                return .bool(b == 1)
            case 8: return .string(try displayString(what))
            case 9: return .array(try array(what: what, depth: depth + 1))
            case 10: return .unsigned(try u64(what))
            case 11: return .signed(Int64(bitPattern: try u64(what)))
            case 12: return .float(Double(bitPattern: try u64(what)))
            default:
                throw error("\(what) has value type \(type); GGUF defines types 0 to 12 (\(valueTypeNames.joined(separator: ", ")))")
            }
        }

        /// Walks an array without keeping it: fixed-size elements are skipped in one step, strings
        /// and nested arrays one by one, their count bounded by the bytes left. Returns a short
        /// description with the first few elements.
        mutating func array(what: String, depth: Int) throws(ModelError) -> String {
            guard depth <= maxArrayDepth else { throw error("\(what) nests arrays deeper than \(maxArrayDepth) levels") }
            let at = c.position
            let type = try u32("the element type of \(what)")
            let count = try u64("the length of \(what)")
            guard Int(type) < valueTypeNames.count else {
                throw error("\(what) at byte \(at) has element type \(type); GGUF defines types 0 to 12 "
                            + "(\(valueTypeNames.joined(separator: ", ")))")
            }
            let size = valueTypeSizes[Int(type)]
            // The least each element can take: strings need their 8-byte length, arrays 12 bytes.
            let least = UInt64(size > 0 ? size : type == 8 ? 8 : 12)
            let (needed, overflow) = count.multipliedReportingOverflow(by: least)
            guard !overflow, needed <= c.remaining else {
                if c.limit < c.end, !overflow { throw error("\(what) at byte \(at) declares \(count) elements: \(c.limitMessage)") }
                throw error("\(what) at byte \(at) declares \(count) elements of type \(valueTypeNames[Int(type)]), more than "
                            + "the \(c.remaining) bytes left in the header can hold")
            }
            var preview: [String] = []
            let shown = min(count, 4)
            for i in 0..<shown {
                let v = try value(type: type, what: "element \(i) of \(what)", depth: depth)
                preview.append(type == 8 ? "\"" + v.text + "\"" : v.text)
            }
            if size > 0 {
                try c.skip((count - shown) * UInt64(size), what: what)
            } else if shown < count {
                for i in shown..<count {
                    if type == 8 {
                        let n = try u64("the length of element \(i) of \(what)")
                        try c.skip(n, what: "element \(i) of \(what)")
                    } else {
                        _ = try array(what: "element \(i) of \(what)", depth: depth + 1)
                    }
                }
            }
            let noun = valueTypeNames[Int(type)]
            if count <= 4 { return "[" + preview.joined(separator: ", ") + "]" }
            return "[\(count) × \(noun): " + preview.joined(separator: ", ") + ", …]"
        }
    }

    static func parse(_ cursor: inout ByteCursor, fileSize: UInt64, file: String) throws(ModelError) -> TensorListing {
        guard fileSize >= 4 else { throw ModelError(file: file, "is \(fileSize) bytes long; a GGUF file starts with the magic GGUF") }
        let magic = Array(try cursor.bytes(4, what: "the magic"))
        let little = magic == Array("GGUF".utf8), big = magic == Array("FUGG".utf8)
        guard little || big else {
            let shown = magic.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
            throw ModelError(file: file, "does not start with the GGUF magic: it starts with \"\(shown)\"")
        }
        var version = try cursor.u32("the version", bigEndian: big)
        var bigEndian = big
        // gguf-py's rule for big-endian files written before they had their own magic: the version
        // is small, so read the wrong way round its low 16 bits are zero.
        if little, version & 0xFFFF == 0, version != 0 {
            bigEndian = true
            version = version.byteSwapped
        }
        switch version {
        case 2, 3: break
        case 1: throw ModelError(file: file, "is GGUF version 1, which ggml no longer reads; versions 2 and 3 are supported "
                                 + "(convert it with a current llama.cpp)")
        default: throw ModelError(file: file, "is GGUF version \(version); versions 2 and 3 are supported")
        }
        var r = Reader(c: cursor, bigEndian: bigEndian, file: file)
        let tensorCount = try r.u64("the tensor count")
        let kvCount = try r.u64("the metadata count")
        // Each key/value takes at least 13 bytes, each tensor info at least 32: counts beyond what the
        // header can hold are refused before anything is allocated or looped over.
        let room = r.c.remaining
        guard kvCount <= room / 13 else {
            throw ModelError(file: file, "declares \(kvCount) metadata key/values, more than the \(room) bytes of header left "
                             + "could hold (at most \(room / 13))")
        }
        guard tensorCount <= (room - kvCount * 13) / 32 else {
            throw ModelError(file: file, "declares \(tensorCount) tensors, more than the \(room) bytes of header left could "
                             + "hold (at most \((room - kvCount * 13) / 32))")
        }

        var metadata: [MetadataEntry] = []
        // Value and wire type by key, for the duplicate check and the few keys looked up below.
        var values: [String: (value: Value, type: UInt32)] = [:]
        for i in 0..<kvCount {
            let at = r.c.position
            let key = try r.string("the key of metadata entry \(i)", cap: maxKeyBytes)
            guard !key.isEmpty else { throw ModelError(file: file, "metadata entry \(i) at byte \(at) has an empty key") }
            guard values[key] == nil else {
                throw ModelError(file: file, "metadata key \(quote(key)) appears twice (entry \(i) at byte \(at))")
            }
            let type = try r.u32("the value type of \(quote(key))")
            let v = try r.value(type: type, what: "the value of \(quote(key))", depth: 0)
            values[key] = (v, type)
            metadata.append(MetadataEntry(key: key, value: v.text))
        }

        var alignment = defaultAlignment
        if let (v, type) = values["general.alignment"] {
            guard type == 4, let a = v.integer, a != 0, a & (a - 1) == 0 else {
                throw ModelError(file: file, "general.alignment is \(v.text) (\(valueTypeNames[Int(type)])); "
                                 + "it must be a uint32 power of two")
            }
            alignment = a
        }

        var tensors: [TensorInfo] = []
        // Where each tensor's data lies: offset in the data section and size.
        var spans: [(offset: UInt64, bytes: UInt64)] = []
        // Reserved up to a modest size only: the count is the file's word, and memory grows with
        // the tensor infos actually read.
        let reserve = Int(min(tensorCount, 1 << 17))
        tensors.reserveCapacity(reserve)
        spans.reserveCapacity(reserve)
        var names: Set<String> = []
        names.reserveCapacity(reserve)
        for i in 0..<tensorCount {
            let at = r.c.position
            let name = try r.string("the name of tensor \(i)", cap: maxKeyBytes)
            guard names.insert(name).inserted else {
                throw ModelError(file: file, "tensor name \(quote(name)) appears twice (tensor \(i) at byte \(at))")
            }
            let n = try r.u32("the dimension count of \(quote(name))")
            guard n >= 1, n <= UInt32(maxDimensions) else {
                throw ModelError(file: file, "tensor \(quote(name)) has \(n) dimensions; GGUF tensors have 1 to \(maxDimensions)")
            }
            // Filled from the end: GGUF lists the innermost dimension first.
            var shape = [Int](repeating: 0, count: Int(n))
            for d in 0..<Int(n) {
                let v = try r.u64("dimension \(d) of \(quote(name))")
                guard v <= UInt64(Int.max) else {
                    throw ModelError(file: file, "tensor \(quote(name)) has dimension \(v), above ggml's limit of 2^63-1")
                }
                shape[Int(n) - 1 - d] = Int(v)
            }
            var elements = 1
            for d in shape {
                let (p, o) = elements.multipliedReportingOverflow(by: d)
                guard !o else {
                    throw ModelError(file: file, "tensor \(quote(name)) has dimensions \(Array(shape.reversed())): their product "
                                     + "does not fit in 64 bits")
                }
                elements = p
            }
            let typeID = try r.u32("the type of \(quote(name))")
            guard typeID < typeTable.count, let type = typeTable[Int(typeID)] else {
                if let old = removedTypes[typeID] {
                    throw ModelError(file: file, "tensor \(quote(name)) has type \(old) (\(typeID)), which ggml no longer reads "
                                     + "from GGUF files")
                }
                throw ModelError(file: file, "tensor \(quote(name)) has type \(typeID), which is not a ggml type; the types are "
                                 + types.values.sorted { $0.id < $1.id }.map { "\($0.name) (\($0.id))" }.joined(separator: ", "))
            }
            guard shape[Int(n) - 1] % type.blockSize == 0 else {
                throw ModelError(file: file, "tensor \(quote(name)) of type \(type.name) has rows of \(shape[Int(n) - 1]) values, not a "
                                 + "multiple of its block size \(type.blockSize)")
            }
            let (bytes, o) = (elements / type.blockSize).multipliedReportingOverflow(by: type.typeSize)
            guard !o else { throw ModelError(file: file, "tensor \(quote(name)) takes more than 2^63 bytes") }
            let offset = try r.u64("the data offset of \(quote(name))")
            guard offset % alignment == 0 else {
                throw ModelError(file: file, "tensor \(quote(name)) has data offset \(offset), not a multiple of the alignment "
                                 + "\(alignment)")
            }
            tensors.append(TensorInfo(name: name, shape: shape, dtype: type.name, elements: elements, bytes: bytes, file: file))
            spans.append((offset, UInt64(bytes)))
        }

        // The data starts at the next multiple of the alignment after the tensor infos.
        let end = r.c.position
        let (padded, o1) = end.addingReportingOverflow((alignment - end % alignment) % alignment)
        let dataStart = o1 ? UInt64.max : padded
        var sorted = true
        for i in spans.indices.dropFirst() where spans[i].offset < spans[i - 1].offset { sorted = false; break }
        let order = sorted ? Array(spans.indices) : spans.indices.sorted { spans[$0].offset < spans[$1].offset }
        var previousEnd: UInt64 = 0
        var previous: Int?
        for i in order {
            let (offset, bytes) = spans[i]
            if offset < previousEnd {
                let name = tensors[i].name, other = previous.map { tensors[$0].name } ?? ""
                throw ModelError(file: file, "tensors \(quote(other)) and \(quote(name)) overlap: \(quote(name)) "
                                 + "starts at data byte \(offset), before the previous one ends at \(previousEnd)")
            }
            let (a, oa) = dataStart.addingReportingOverflow(offset)
            let (b, ob) = a.addingReportingOverflow(bytes)
            if oa || ob || b > fileSize {
                throw ModelError(file: file, "tensor \(quote(tensors[i].name)) lies at bytes \(oa ? "past 2^64" : String(a)) to "
                                 + "\(oa || ob ? "past 2^64" : String(b)) but the file has \(fileSize) bytes (a truncated download?)")
            }
            previousEnd = offset + bytes
            previous = i
        }

        var summary: [MetadataEntry] = [MetadataEntry(key: "GGUF.version", value: String(version))]
        if bigEndian { summary.append(MetadataEntry(key: "GGUF.byte_order", value: "big-endian")) }
        for key in ["general.name", "general.architecture"] {
            if let v = values[key]?.value { summary.append(MetadataEntry(key: key, value: v.text)) }
        }
        if case .string(let arch)? = values["general.architecture"]?.value {
            for suffix in ["block_count", "context_length", "embedding_length"] {
                if let v = values[arch + "." + suffix]?.value { summary.append(MetadataEntry(key: arch + "." + suffix, value: v.text)) }
            }
        }
        if let v = values["general.file_type"]?.value {
            let name = v.integer.flatMap { fileTypes[$0] } ?? "unknown (\(v.text))"
            summary.append(MetadataEntry(key: "general.file_type", value: name))
        }
        cursor = r.c
        return try TensorListing.make(format: .gguf, tensors: tensors, metadata: metadata, summary: summary,
                                      files: [file], file: file)
    }

    static func quote(_ s: String) -> String { "\"" + TerminalSafe.escapeShort(s, limit: 80) + "\"" }
}
