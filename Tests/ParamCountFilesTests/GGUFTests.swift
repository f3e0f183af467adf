import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

func ggufError(_ file: GGUFFile) -> ModelError? { ggufError(file.bytes) }

func ggufError(_ bytes: [UInt8]) -> ModelError? {
    do { _ = try GGUF.parse(bytes: bytes, file: "m.gguf") } catch { return error }
    Issue.record("expected an error")
    return nil
}

@Suite("GGUF")
struct GGUFTests {
    static var small: GGUFFile {
        var f = GGUFFile()
        f.kv = [("general.architecture", .string("llama")), ("general.name", .string("tiny")), ("llama.block_count", .u32(1)),
                ("general.file_type", .u32(7))]
        f.tensors = [GGUFFile.Tensor(name: "token_embd.weight", dims: [64, 10], type: 8),
                     GGUFFile.Tensor(name: "blk.0.attn_norm.weight", dims: [64], type: 0)]
        return f
    }

    @Test func smallFile() throws {
        let listing = try GGUF.parse(bytes: Self.small.bytes, file: "m.gguf")
        #expect(listing.format == .gguf)
        #expect(listing.tensors.map(\.name) == ["token_embd.weight", "blk.0.attn_norm.weight"])
        // Shapes in PyTorch's order: the embedding is vocabulary × width.
        #expect(listing.tensors.map(\.shape) == [[10, 64], [64]])
        #expect(listing.tensors.map(\.dtype) == ["Q8_0", "F32"])
        // Q8_0: 32 values in 34 bytes (gguf-py GGML_QUANT_SIZES).
        #expect(listing.tensors.map(\.bytes) == [640 / 32 * 34, 256])
        #expect(listing.totalElements == 704)
        #expect(listing.summary.map(\.key) == ["GGUF.version", "general.name", "general.architecture", "llama.block_count",
                                                "general.file_type"])
        #expect(listing.summary.last?.value == "Q8_0")
    }

    @Test func version2IsRead() throws {
        var f = Self.small
        f.version = 2
        #expect(try GGUF.parse(bytes: f.bytes, file: "m").totalElements == 704)
    }

    @Test func bigEndianFile() throws {
        var f = Self.small
        f.bigEndian = true
        let listing = try GGUF.parse(bytes: f.bytes, file: "m")
        #expect(listing.totalElements == 704)
        #expect(listing.tensors.map(\.shape) == [[10, 64], [64]])
        #expect(listing.summary.contains(MetadataEntry(key: "GGUF.byte_order", value: "big-endian")))
    }

    @Test func fromDiskAcrossManyWindows() throws {
        // A vocabulary of 300,000 tokens makes a 4 MiB header: the file is read through several windows.
        var f = Self.small
        f.kv.append(("tokenizer.ggml.tokens", .array(8, (0..<300_000).map { .string("token-\($0)") })))
        f.kv.append(("tokenizer.ggml.scores", .array(6, (0..<300_000).map { .f32(Float($0)) })))
        let dir = tensorTempDir("gguf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.gguf"
        f.write(path)
        let fromDisk = try GGUF.read(path: path)
        let fromMemory = try GGUF.parse(bytes: f.bytes, file: path)
        #expect(fromDisk == fromMemory)
        #expect(fromDisk.value(of: "tokenizer.ggml.tokens") == "[300000 × string: \"token-0\", \"token-1\", \"token-2\", \"token-3\", …]")
        #expect(fromDisk.value(of: "tokenizer.ggml.scores")?.hasPrefix("[300000 × float32: 0.0, 1.0") == true)
    }

    @Test func longStringValuesAreCutForDisplay() throws {
        var f = Self.small
        f.kv.append(("tokenizer.chat_template", .string(String(repeating: "x", count: 5000))))
        let v = try GGUF.parse(bytes: f.bytes, file: "m").value(of: "tokenizer.chat_template")
        #expect(v == String(repeating: "x", count: 1024) + "… (5000 bytes)")
    }

    @Test func everyScalarType() throws {
        var f = Self.small
        f.kv += [("a", .u8(200)), ("b", .i8(-5)), ("c", .u16(60000)), ("d", .i16(-30000)), ("e", .i32(-7)), ("f", .f32(0.5)),
                 ("g", .bool(1)), ("h", .u64(1 << 40)), ("i", .i64(-(1 << 40))), ("j", .f64(0.25)),
                 ("k", .array(9, [.array(5, [.i32(1), .i32(2)]), .array(5, [.i32(3)])]))]
        for bigEndian in [false, true] {
            f.bigEndian = bigEndian
            let l = try GGUF.parse(bytes: f.bytes, file: "m")
            #expect(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"].map { l.value(of: $0) ?? "" }
                    == ["200", "-5", "60000", "-30000", "-7", "0.5", "true", "1099511627776", "-1099511627776", "0.25", "[[1, 2], [3]]"])
        }
    }

    @Test func customAlignment() throws {
        var f = Self.small
        f.alignment = 64
        f.kv.append(("general.alignment", .u32(64)))
        #expect(try GGUF.parse(bytes: f.bytes, file: "m").totalElements == 704)
    }

    @Test func noTensors() throws {
        var f = Self.small
        f.tensors = []
        let l = try GGUF.parse(bytes: f.bytes, file: "m")
        #expect(l.tensors.isEmpty && l.totalElements == 0)
    }

    /// Published: Llama-2-7B has 6,738,415,616 parameters (meta-llama/Llama-2-7b-hf). Element
    /// counts do not depend on the quantisation; bytes do (gguf-py GGML_QUANT_SIZES: F16 2 bytes a
    /// value, Q4_K 144 bytes per 256 values, F32 norms).
    @Test(arguments: [(UInt32(1), UInt32(1), "F16"), (12, 15, "Q4_K_M")])
    func sparseLlama2_7B(type: UInt32, fileType: UInt32, name: String) throws {
        let dir = tensorTempDir("llama-gguf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/llama-2-7b.gguf"
        GGUFFile.llama2_7B(type: type, fileType: fileType).write(path)
        let listing = try GGUF.read(path: path)
        #expect(listing.totalElements == 6_738_415_616)
        #expect(listing.tensors.count == 291)
        let norms = 65 * 4096
        let matrices = 6_738_415_616 - norms
        #expect(listing.bytesByDtype["F32"] == norms * 4)
        #expect(listing.bytesByDtype[type == 1 ? "F16" : "Q4_K"] == (type == 1 ? matrices * 2 : matrices / 256 * 144))
        #expect(listing.value(of: "general.file_type") == String(fileType))
        #expect(listing.summary.first { $0.key == "general.file_type" }?.value == name)
        #expect(listing.summary.first { $0.key == "llama.block_count" }?.value == "32")
        #expect(listing.tensors.first { $0.name == "token_embd.weight" }?.shape == [32_000, 4_096])
    }

    @Test func manyTensors() throws {
        var f = GGUFFile()
        f.tensors = (0..<100_000).map { GGUFFile.Tensor(name: "blk.\($0 / 10).t\($0 % 10).weight", dims: [16, 4], type: 0) }
        let l = try GGUF.parse(bytes: f.bytes, file: "m")
        #expect(l.tensors.count == 100_000 && l.totalElements == 6_400_000)
    }

    // MARK: Hostile files, one test per case

    @Test func badMagic() {
        var f = Self.small
        f.magic = Array("GGML".utf8)
        #expect(ggufError(f)?.message.contains("does not start with the GGUF magic: it starts with \"GGML\"") == true)
        #expect(ggufError([0x47, 0x47])?.message.contains("is 2 bytes long") == true)
    }

    @Test func unsupportedVersions() {
        var f = Self.small
        f.version = 1
        #expect(ggufError(f)?.message.contains("is GGUF version 1, which ggml no longer reads") == true)
        f.version = 4
        #expect(ggufError(f)?.message.contains("is GGUF version 4; versions 2 and 3 are supported") == true)
    }

    @Test func tensorCountInTheBillions() {
        var f = Self.small
        f.tensorCount = 5_000_000_000
        let e = ggufError(f)
        #expect(e?.message.contains("declares 5000000000 tensors, more than") == true, "\(e?.message ?? "")")
    }

    @Test func keyCountInTheBillions() {
        var f = Self.small
        f.kvCount = UInt64.max
        let e = ggufError(f)
        #expect(e?.message.contains("declares 18446744073709551615 metadata key/values") == true, "\(e?.message ?? "")")
    }

    @Test func stringLengthPastTheEnd() {
        var f = Self.small
        f.kv.append(("general.description", .rawString(length: 1 << 62, bytes: [])))
        let e = ggufError(f)
        #expect(e?.message.contains("the value of \"general.description\" at byte") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("is 4611686018427387904 bytes long but only") == true)
    }

    @Test func keyLengthPastTheEnd() {
        var b = GGUFFile().bytes
        b[16] = 1   // one key/value, then nothing
        b += [0xE8, 0x03, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0x61, count: 16)   // a 1,000-byte key, 16 bytes given
        let e = ggufError(b)
        #expect(e?.message.contains("the key of metadata entry 0 at byte 24 is 1000 bytes long but only 16 bytes") == true,
                "\(e?.message ?? "")")
        b[24] = 0xFF; b[25] = 0xFF; b[26] = 0xFF
        #expect(ggufError(b)?.message.contains("at most 65535 are allowed") == true)
    }

    @Test func arrayCountInTheBillions() {
        var f = Self.small
        f.kv.append(("tokenizer.ggml.tokens", .rawArray(8, 3_000_000_000)))
        let e = ggufError(f)
        #expect(e?.message.contains("declares 3000000000 elements of type string") == true, "\(e?.message ?? "")")
        var g = Self.small
        g.kv.append(("x", .rawArray(10, UInt64.max / 4)))
        #expect(ggufError(g)?.message.contains("elements of type uint64, more than") == true)
    }

    @Test func arraysNestedTooDeep() {
        var v: GGUFFile.Value = .array(0, [.u8(1)])
        for _ in 0..<40 { v = .array(9, [v]) }
        var f = Self.small
        f.kv.append(("deep", v))
        #expect(ggufError(f)?.message.contains("nests arrays deeper than 16 levels") == true)
    }

    @Test func badValueType() {
        var f = Self.small
        f.kv.append(("x", .rawArray(13, 1)))
        #expect(ggufError(f)?.message.contains("has element type 13; GGUF defines types 0 to 12") == true)
    }

    @Test func boolThatIsNeitherZeroNorOne() {
        var f = Self.small
        f.kv.append(("x", .bool(2)))
        #expect(ggufError(f)?.message.contains("a GGUF bool is 0 or 1") == true)
    }

    @Test func zeroDimensions() {
        var f = Self.small
        f.tensors[0].dims = []
        #expect(ggufError(f)?.message.contains("has 0 dimensions; GGUF tensors have 1 to 4") == true)
    }

    @Test func moreThanFourDimensions() {
        var f = Self.small
        f.tensors[1].dims = [2, 2, 2, 2, 4]
        #expect(ggufError(f)?.message.contains("has 5 dimensions; GGUF tensors have 1 to 4") == true)
        f.tensors[1].dims = [2, 2, 2, 8]
        #expect(throws: Never.self) { try GGUF.parse(bytes: f.bytes, file: "m") }
    }

    @Test func unknownAndRemovedTypes() {
        var f = Self.small
        f.tensors[1].type = 99
        let e = ggufError(f)
        #expect(e?.message.contains("has type 99, which is not a ggml type") == true)
        #expect(e?.message.contains("Q4_K (12)") == true)
        f.tensors[1].type = 4
        #expect(ggufError(f)?.message.contains("type Q4_2 (4), which ggml no longer reads") == true)
    }

    @Test func rowNotAMultipleOfTheBlock() {
        var f = Self.small
        f.tensors[0].dims = [48, 10]
        #expect(ggufError(f)?.message.contains("has rows of 48 values, not a multiple of its block size 32") == true)
    }

    @Test func dimensionProductOverflows() {
        var f = Self.small
        f.tensors[1].dims = [1 << 32, 1 << 32]
        #expect(ggufError(f)?.message.contains("their product does not fit in 64 bits") == true)
        f.tensors[1].dims = [UInt64.max]
        #expect(ggufError(f)?.message.contains("above ggml's limit of 2^63-1") == true)
    }

    @Test func offsetsPastTheEndOfTheFile() {
        var f = Self.small
        f.tensors[1].offset = 1 << 40
        let e = ggufError(f)
        #expect(e?.message.contains("tensor \"blk.0.attn_norm.weight\" lies at bytes") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains("a truncated download") == true)
        f.tensors[1].offset = UInt64.max - 31
        #expect(ggufError(f)?.message.contains("past 2^64") == true)
    }

    @Test func truncatedData() throws {
        let dir = tensorTempDir("gguf-trunc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.gguf"
        let f = GGUFFile.llama2_7B(type: 1, fileType: 1)
        let (head, size) = f.header()
        writeSparse(path, head: head, size: size / 2)
        do { _ = try GGUF.read(path: path); Issue.record("expected an error") } catch {
            #expect(error.file == path)
            #expect(error.message.contains("a truncated download") == true)
        }
    }

    @Test func truncatedHeader() {
        let b = Self.small.bytes
        for cut in [3, 7, 20, 40, 100, 150] where cut < b.count {
            let e = ggufError(Array(b.prefix(cut)))
            #expect(e != nil, "cut at \(cut)")
        }
    }

    @Test func misalignedOffset() {
        var f = Self.small
        f.tensors[1].offset = 700
        #expect(ggufError(f)?.message.contains("not a multiple of the alignment 32") == true)
    }

    @Test func overlappingTensors() {
        var f = Self.small
        f.tensors[1].offset = 0
        #expect(ggufError(f)?.message.contains("overlap") == true)
    }

    @Test func duplicateKeysAndNames() {
        var f = Self.small
        f.kv.append(("general.name", .string("again")))
        #expect(ggufError(f)?.message.contains("metadata key \"general.name\" appears twice") == true)
        var g = Self.small
        g.tensors[1].name = g.tensors[0].name
        #expect(ggufError(g)?.message.contains("tensor name \"token_embd.weight\" appears twice") == true)
    }

    @Test func badAlignment() {
        var f = Self.small
        f.kv.append(("general.alignment", .u32(48)))
        #expect(ggufError(f)?.message.contains("general.alignment is 48 (uint32); it must be a uint32 power of two") == true)
        var g = Self.small
        g.kv.append(("general.alignment", .u64(32)))
        #expect(ggufError(g)?.message.contains("(uint64)") == true)
        var h = Self.small
        h.kv.append(("general.alignment", .u32(0)))
        #expect(ggufError(h) != nil)
    }

    @Test func emptyKey() {
        var f = Self.small
        f.kv.append(("", .u8(1)))
        #expect(ggufError(f)?.message.contains("has an empty key") == true)
    }

    @Test func headerAboveTheLimitIsRefusedNotWalked() throws {
        // A sparse 300 MiB file whose one string claims 280 MiB: past the 256 MiB header limit.
        var f = Self.small
        f.tensors = []
        f.kv = [("x", .rawString(length: 280 << 20, bytes: []))]
        let dir = tensorTempDir("gguf-big")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.gguf"
        writeSparse(path, head: f.header().bytes, size: 300 << 20)
        do { _ = try GGUF.read(path: path); Issue.record("expected an error") } catch {
            #expect(error.message.contains("the limit for a GGUF header") == true, "\(error.message)")
        }
    }

    @Test func namesInMessagesAreEscaped() {
        var f = Self.small
        f.tensors[1].name = "\u{1B}]0;pwned\u{7}"
        f.tensors[1].type = 99
        let e = ggufError(f)
        #expect(e?.description.contains("\u{1B}") == false)
        #expect(e?.description.contains("\u{7}") == false)
    }
}
