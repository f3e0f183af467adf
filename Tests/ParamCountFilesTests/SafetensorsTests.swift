import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing
import TestSupport

func safetensorsError(_ bytes: [UInt8], file: String = "m.safetensors") -> ModelError? {
    do { _ = try Safetensors.parse(bytes: bytes, file: file) } catch { return error }
    Issue.record("expected an error")
    return nil
}

func safetensorsError(_ json: String, dataSize: Int) -> ModelError? { safetensorsError(SafetensorsFile.bytes(json, dataSize: dataSize)) }

@Suite("safetensors")
struct SafetensorsTests {
    @Test func smallFileFromMemoryAndFromDisk() throws {
        let tensors: [SafetensorsFile.Tensor] = [("a.weight", "F32", [3, 4]), ("a.bias", "F16", [3]), ("b", "BF16", [2, 2, 2])]
        let bytes = SafetensorsFile.bytes(tensors, metadata: [("format", "pt")])
        let listing = try Safetensors.parse(bytes: bytes, file: "m.safetensors")
        #expect(listing.format == .safetensors)
        #expect(listing.tensors.map(\.name) == ["a.weight", "a.bias", "b"])
        #expect(listing.tensors.map(\.elements) == [12, 3, 8])
        #expect(listing.tensors.map(\.bytes) == [48, 6, 16])
        #expect(listing.totalElements == 23)
        #expect(listing.bytesByDtype == ["F32": 48, "F16": 6, "BF16": 16])
        #expect(listing.metadata == [MetadataEntry(key: "format", value: "pt")])

        let dir = tensorTempDir("st")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.safetensors"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        var fromDisk = try Safetensors.read(path: path)
        #expect(fromDisk.files == [path])
        fromDisk.files = ["m.safetensors"]
        fromDisk.tensors = fromDisk.tensors.map { var t = $0; t.file = "m.safetensors"; return t }
        #expect(fromDisk == listing)
    }

    /// The reference reader sorts by offset whatever the JSON order: we list in data order.
    @Test func tensorsAreListedInDataOrder() throws {
        let json = #"{"z":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let listing = try Safetensors.parse(bytes: SafetensorsFile.bytes(json, dataSize: 8), file: "m")
        #expect(listing.tensors.map(\.name) == ["y", "z"])
    }

    /// Sub-byte dtypes: F6 packs 4 values in 3 bytes, F4 two values a byte (reference `bitsize`).
    @Test func subByteDtypes() throws {
        let listing = try Safetensors.parse(bytes: SafetensorsFile.bytes([("f6", "F6_E2M3", [4]), ("f6b", "F6_E3M2", [2, 4]),
                                                                          ("f4", "F4", [6])]), file: "m")
        #expect(listing.tensors.map(\.bytes) == [3, 6, 3])
        #expect(listing.totalElements == 18)
    }

    @Test func emptyAndScalarTensors() throws {
        let listing = try Safetensors.parse(bytes: SafetensorsFile.bytes([("e", "F32", [0, 7]), ("s", "F32", []), ("e2", "F16", [5, 0])]),
                                            file: "m")
        #expect(listing.tensors.map(\.elements).sorted() == [0, 0, 1])
        #expect(listing.totalElements == 1)
    }

    @Test func headerOnlyFileWithNoTensors() throws {
        let listing = try Safetensors.parse(bytes: SafetensorsFile.bytes("{}", dataSize: 0), file: "m")
        #expect(listing.tensors.isEmpty && listing.totalElements == 0)
    }

    @Test func unknownFieldsInATensorAreIgnoredLikeTheReference() throws {
        let json = #"{"t":{"dtype":"F32","extra":{"a":[1,2,{"b":null}]},"shape":[2],"data_offsets":[0,8]}}"#
        #expect(try Safetensors.parse(bytes: SafetensorsFile.bytes(json, dataSize: 8), file: "m").totalElements == 2)
    }

    @Test func escapedNamesAreDecoded() throws {
        let json = #"{"a\u00e9\ud83d\ude00\n":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let listing = try Safetensors.parse(bytes: SafetensorsFile.bytes(json, dataSize: 4), file: "m")
        #expect(listing.tensors[0].name == "aé😀\n")
    }

    // MARK: Llama-2-7B at full size

    /// Published figures: 6,738,415,616 parameters (meta-llama/Llama-2-7b-hf model card, "7B"; the
    /// count transformers gives for LlamaForCausalLM with its config.json), and the shards' total_size
    /// in that repository's model.safetensors.index.json, 13,476,839,424 bytes (F16 weights plus the
    /// 32 F32 inv_freq buffers of 64 values: 6,738,417,664 numbers).
    @Test(arguments: [false, true])
    func sparseLlama2_7BFolder(invFreq: Bool) throws {
        let dir = tensorTempDir("llama2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: invFreq)
        for path in [dir, dir + "/model.safetensors.index.json"] {
            let listing = try Safetensors.read(path: path)
            #expect(listing.totalElements == (invFreq ? 6_738_417_664 : 6_738_415_616))
            #expect(listing.tensors.count == (invFreq ? 323 : 291))
            #expect(listing.totalBytes == (invFreq ? 13_476_839_424 : 13_476_831_232))
            #expect(listing.bytesByDtype["F32"] == (invFreq ? 8_192 : nil))
            #expect(listing.files.map { ($0 as NSString).lastPathComponent }
                    == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
            #expect(listing.metadata == [MetadataEntry(key: "total_size", value: String(listing.totalBytes))])
            #expect(listing.tensors.first?.name == "model.embed_tokens.weight")
        }
        // The data costs no disk: only the headers were written.
        var st = stat()
        stat(dir + "/model-00001-of-00002.safetensors", &st)
        #expect(st.st_size > 9_976_545_280)
        #expect(st.st_blocks * 512 < 1 << 20)
    }

    @Test func folderWithoutIndexReadsEveryShard() throws {
        let dir = tensorTempDir("noindex")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: false)
        try FileManager.default.removeItem(atPath: dir + "/model.safetensors.index.json")
        #expect(try Safetensors.read(path: dir).totalElements == 6_738_415_616)
    }

    @Test func singleFileIsOneShard() throws {
        let dir = tensorTempDir("single")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        SafetensorsFile.write(dir + "/model.safetensors", Llama2_7B.tensors(invFreq: false).map { ($0.name, "BF16", $0.shape) })
        let listing = try Safetensors.read(path: dir + "/model.safetensors")
        #expect(listing.totalElements == 6_738_415_616)
        #expect(listing.bytesByDtype == ["BF16": 13_476_831_232])
    }

    // MARK: Hostile files, one test per case

    @Test func headerLengthAboveTheCap() {
        var b = SafetensorsFile.bytes("{}", dataSize: 0)
        let n = UInt64(Safetensors.maxHeaderBytes + 1)
        for k in 0..<8 { b[k] = UInt8(truncatingIfNeeded: n >> (8 * k)) }
        let e = safetensorsError(b)
        #expect(e?.file == "m.safetensors")
        #expect(e?.message.contains("limited to 100000000 bytes") == true, "\(e?.message ?? "")")
    }

    @Test func headerLengthLargerThanTheFile() {
        var b = SafetensorsFile.bytes("{}", dataSize: 0)
        b[0] = 200
        #expect(safetensorsError(b)?.message.contains("declares a header of 200 bytes but only 8 bytes follow") == true)
    }

    @Test func fileShorterThanTheLengthField() {
        #expect(safetensorsError([1, 2, 3])?.message.contains("starts with an 8-byte header length") == true)
        #expect(safetensorsError([])?.message.contains("is 0 bytes long") == true)
    }

    @Test func headerIsNotJSON() {
        let e = safetensorsError(#"{"a": {"dtype": "F32" "shape": [1]}}"#, dataSize: 0)
        #expect(e?.message.contains("is not valid JSON: expected ',' or '}', found '\"'") == true, "\(e?.message ?? "")")
        #expect(safetensorsError("{\"a\": nope}", dataSize: 0)?.message.contains("tensor \"a\" must be a JSON object") == true)
        #expect(safetensorsError("\u{1}\u{2}", dataSize: 0)?.message.contains("is not valid JSON") == true)
        #expect(safetensorsError("{\"a\":{\"dtype\":\"F32\",}}", dataSize: 0)?.message.contains("is not valid JSON") == true)
    }

    @Test func headerIsJSONButNotAnObject() {
        #expect(safetensorsError("[1, 2]", dataSize: 0)?.message.contains("not an object") == true)
        #expect(safetensorsError("\"text\"", dataSize: 0)?.message.contains("not an object") == true)
    }

    @Test func textAfterTheHeaderObject() {
        #expect(safetensorsError("{} {}", dataSize: 0)?.message.contains("text follows the end") == true)
    }

    @Test func metadataValuesMustBeStrings() {
        let e = safetensorsError(#"{"__metadata__":{"format":1}}"#, dataSize: 0)
        #expect(e?.message.contains("all values must be strings") == true, "\(e?.message ?? "")")
        #expect(safetensorsError(#"{"__metadata__":[1]}"#, dataSize: 0)?.message.contains("must be a JSON object") == true)
    }

    @Test func metadataNullIsAccepted() throws {
        #expect(try Safetensors.parse(bytes: SafetensorsFile.bytes(#"{"__metadata__":null}"#, dataSize: 0), file: "m").metadata.isEmpty)
    }

    @Test func unknownDtype() {
        let e = safetensorsError(#"{"t":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4)
        #expect(e?.message.contains("dtype \"F12\", which safetensors does not define") == true)
        #expect(e?.message.contains("F8_E4M3FNUZ") == true)
    }

    @Test func missingField() {
        let e = safetensorsError(#"{"t":{"dtype":"F32","data_offsets":[0,4]}}"#, dataSize: 4)
        #expect(e?.message.contains("has no \"shape\"") == true)
    }

    @Test func offsetsPastTheData() {
        let e = safetensorsError(#"{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataSize: 8)
        #expect(e?.message.contains("is truncated") == true, "\(e?.message ?? "")")
    }

    @Test func overlappingOffsets() {
        let json = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let e = safetensorsError(json, dataSize: 12)
        #expect(e?.message.contains("tensors \"a\" and \"b\" overlap") == true, "\(e?.message ?? "")")
    }

    @Test func holeBetweenTensors() {
        let json = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let e = safetensorsError(json, dataSize: 12)
        #expect(e?.message.contains("data bytes 4 to 8 (before tensor \"b\") belong to no tensor") == true, "\(e?.message ?? "")")
    }

    @Test func offsetsInconsistentWithShape() {
        let e = safetensorsError(#"{"t":{"dtype":"F16","shape":[3,3],"data_offsets":[0,16]}}"#, dataSize: 16)
        #expect(e?.message.contains("(16 bytes) but shape [3, 3] of F16 takes 18 bytes") == true, "\(e?.message ?? "")")
    }

    @Test func endBeforeBeginning() {
        let e = safetensorsError(#"{"t":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#, dataSize: 8)
        #expect(e?.message.contains("the end comes before the beginning") == true)
    }

    @Test func wrongNumberOfOffsets() {
        #expect(safetensorsError(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, dataSize: 4)?
            .message.contains("must be [begin, end]") == true)
        #expect(safetensorsError(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, dataSize: 4)?
            .message.contains("must be [begin, end]") == true)
    }

    /// A download cut short: the header is whole, the data is not.
    @Test func truncatedDownload() throws {
        let dir = tensorTempDir("trunc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/model.safetensors"
        let tensors = Llama2_7B.tensors(invFreq: false).map { (name: $0.name, dtype: "F16", shape: $0.shape) }
        let (json, size) = SafetensorsFile.header(tensors)
        let head = SafetensorsFile.head(json)
        writeSparse(path, head: head, size: UInt64(head.count + size / 3))
        do { _ = try Safetensors.read(path: path); Issue.record("expected an error") } catch {
            #expect(error.file == path)
            #expect(error.message.contains("is truncated: its header places tensor data up to byte 13476831232") == true,
                    "\(error.message)")
        }
    }

    @Test func trailingBytesAfterTheData() {
        let e = safetensorsError(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 10)
        #expect(e?.message.contains("has 6 bytes after the last tensor's data") == true)
    }

    @Test func shapeProductOverflows() {
        let e = safetensorsError(#"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#, dataSize: 0)
        #expect(e?.message.contains("its product does not fit in 64 bits") == true, "\(e?.message ?? "")")
        let e2 = safetensorsError(#"{"t":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}"#, dataSize: 0)
        #expect(e2?.message.contains("does not fit in 64 bits") == true, "\(e2?.message ?? "")")
        let e3 = safetensorsError(#"{"t":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,0]}}"#, dataSize: 0)
        #expect(e3?.message.contains("does not fit in 64 bits") == true, "\(e3?.message ?? "")")
    }

    @Test func negativeOrFractionalDimensions() {
        #expect(safetensorsError(#"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, dataSize: 0)?
            .message.contains("is negative") == true)
        #expect(safetensorsError(#"{"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,0]}}"#, dataSize: 0)?
            .message.contains("must be a whole number") == true)
        #expect(safetensorsError(#"{"t":{"dtype":"F32","shape":[1e3],"data_offsets":[0,0]}}"#, dataSize: 0)?
            .message.contains("must be a whole number") == true)
    }

    @Test func subByteDtypeThatIsNotWholeBytes() {
        let e = safetensorsError(#"{"t":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#, dataSize: 2)
        #expect(e?.message.contains("not a whole number of bytes") == true, "\(e?.message ?? "")")
    }

    /// JSON objects may repeat a key; safetensors forbids it, and a second entry must not hide the first.
    @Test func duplicateTensorNames() {
        let json = #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let e = safetensorsError(json, dataSize: 8)
        #expect(e?.message.contains("tensor \"t\" appears twice") == true)
        #expect(safetensorsError(#"{"t":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4)?
            .message.contains("has \"dtype\" twice") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let e = safetensorsError(#"{"t":{"x":"# + deep + "}}", dataSize: 0)
        #expect(e?.message.contains("nesting deeper than 128 levels") == true, "\(e?.message ?? "")")
    }

    @Test func invalidUTF8AndUnpairedSurrogates() {
        var b = SafetensorsFile.bytes(#"{"ab":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4)
        b[10] = 0xFF
        #expect(safetensorsError(b)?.message.contains("not valid UTF-8") == true)
        #expect(safetensorsError(#"{"\ud800x":{}}"#, dataSize: 0)?.message.contains("unpaired surrogate") == true)
        #expect(safetensorsError(#"{"\ud800\u0041":{}}"#, dataSize: 0)?.message.contains("unpaired surrogate") == true)
        #expect(safetensorsError(#"{"\udc00":{}}"#, dataSize: 0)?.message.contains("unpaired surrogate") == true)
    }

    @Test func namesInMessagesAreEscaped() {
        let e = safetensorsError(#"{"\u001b[2J":{"dtype":"Q","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4)
        #expect(e != nil)
        #expect(e?.description.contains("\u{1B}") == false)
        #expect(e?.message.contains("\\e[2J") == true)
    }

    // MARK: Shards and indexes

    @Test func indexNamingAMissingShard() throws {
        let dir = tensorTempDir("missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: false)
        try FileManager.default.removeItem(atPath: dir + "/model-00002-of-00002.safetensors")
        do { _ = try Safetensors.read(path: dir); Issue.record("expected an error") } catch {
            #expect(error.file == dir + "/model.safetensors.index.json")
            #expect(error.message.contains("names shard \"model-00002-of-00002.safetensors\", which is not in") == true)
        }
    }

    @Test func weightMapPointingAtTheWrongShard() throws {
        let dir = tensorTempDir("wrong")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        SafetensorsFile.write(dir + "/a.safetensors", [("x.weight", "F32", [2])])
        SafetensorsFile.write(dir + "/b.safetensors", [("y.weight", "F32", [2])])
        try #"{"weight_map": {"x.weight": "b.safetensors", "y.weight": "b.safetensors"}}"#
            .write(toFile: dir + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        do { _ = try Safetensors.read(path: dir); Issue.record("expected an error") } catch {
            #expect(error.message.contains("maps tensor \"x.weight\" to \"b.safetensors\", but no shard holds it") == true,
                    "\(error.message)")
        }
        try #"{"weight_map": {"x.weight": "b.safetensors", "y.weight": "b.safetensors", "z": "a.safetensors"}}"#
            .write(toFile: dir + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        do { _ = try Safetensors.read(path: dir); Issue.record("expected an error") } catch {
            #expect(error.message.contains("maps tensor \"x.weight\" to \"b.safetensors\", but it is in \"a.safetensors\"") == true,
                    "\(error.message)")
        }
    }

    @Test func shardsWithDifferentMetadataKeepTheirOwn() throws {
        let dir = tensorTempDir("meta")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        SafetensorsFile.write(dir + "/a.safetensors", [("x", "F32", [2])], metadata: [("format", "pt")])
        SafetensorsFile.write(dir + "/b.safetensors", [("y", "F32", [2])], metadata: [("format", "np")])
        #expect(try Safetensors.read(path: dir).metadata == [MetadataEntry(key: "a.safetensors: format", value: "pt"),
                                                             MetadataEntry(key: "b.safetensors: format", value: "np")])
    }

    @Test func tensorInTwoShards() throws {
        let dir = tensorTempDir("twice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        SafetensorsFile.write(dir + "/a.safetensors", [("x.weight", "F32", [2])])
        SafetensorsFile.write(dir + "/b.safetensors", [("x.weight", "F32", [2])])
        do { _ = try Safetensors.read(path: dir); Issue.record("expected an error") } catch {
            #expect(error.message.contains("holds tensor \"x.weight\", which") == true, "\(error.message)")
        }
    }

    @Test func shardNamesMustStayInTheFolder() {
        for name in ["../x.safetensors", "/etc/passwd", "a/b.safetensors", "", ".."] {
            let json = "{\"weight_map\": {\"t\": \"\(name)\"}}"
            do { _ = try Safetensors.parseIndex(bytes: Array(json.utf8), file: "i.json"); Issue.record("accepted \(name)") } catch {
                #expect(error.message.contains("is not a plain file name") == true)
            }
        }
    }

    @Test func indexWithoutWeightMap() {
        do { _ = try Safetensors.parseIndex(bytes: Array(#"{"metadata": {}}"#.utf8), file: "i.json"); Issue.record("accepted") } catch {
            #expect(error.message.contains("has no \"weight_map\"") == true)
        }
    }

    @Test func indexAboveItsLimit() {
        let dir = tensorTempDir("bigindex")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        writeSparse(dir + "/model.safetensors.index.json", head: Array("{\"weight_map\": {".utf8), size: 65 << 20)
        do { _ = try Safetensors.read(path: dir); Issue.record("accepted") } catch {
            #expect(error.message.contains("shard indexes are limited to 64 MiB") == true, "\(error.message)")
        }
    }

    @Test func indexRepeatingATensor() {
        let json = #"{"weight_map": {"t": "a.safetensors", "t": "b.safetensors"}}"#
        do { _ = try Safetensors.parseIndex(bytes: Array(json.utf8), file: "i.json"); Issue.record("accepted") } catch {
            #expect(error.message.contains("tensor \"t\" appears twice in weight_map") == true)
        }
    }

    @Test func folderWithNothingToRead() {
        let dir = tensorTempDir("empty")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { _ = try Safetensors.read(path: dir); Issue.record("accepted") } catch {
            #expect(error.message.contains("holds no .safetensors file") == true)
        }
        do { _ = try Safetensors.read(path: dir + "/nothing"); Issue.record("accepted") } catch {
            #expect(error.message.contains("no such file") == true)
        }
    }

    @Test func sniffing() {
        #expect(Formats.sniff(firstBytes: SafetensorsFile.bytes([("t", "F32", [1])])) == .safetensors)
        #expect(Formats.sniff(firstBytes: Array("GGUF".utf8) + [3, 0, 0, 0]) == .gguf)
        #expect(Formats.sniff(firstBytes: Array("layers:\n  - kind: dense\n".utf8)) == nil)
        #expect(Formats.sniff(firstBytes: Array("{\"layers\": []}".utf8)) == nil)
        #expect(Formats.sniff(firstBytes: [UInt8]()) == nil)
    }
}

/// Files written by the real libraries (scripts/reference/make_tensor_fixtures.py: safetensors 0.8.0,
/// gguf 0.19.0), compared with what the same libraries' readers report (expected.json).
@Suite("tensor fixtures from the reference libraries")
struct TensorFixtureTests {
    static let folder = Bundle.module.url(forResource: "tensors", withExtension: nil, subdirectory: "Fixtures")!

    struct Expected: Decodable {
        struct Tensor: Decodable, Equatable {
            let name: String
            let dtype: String
            let shape: [Int]
            let elements: Int
            let bytes: Int
        }
        let format: String
        let tensors: [Tensor]
        let total_elements: Int
        let bytes_by_dtype: [String: Int]
        let tensor_count: Int
        let metadata: [String: String]?
        let version: Int?
        let byte_order: String?
        let fields: [String: Field]?
    }

    enum Field: Decodable, Equatable {
        case int(Int), string(String), bool(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .int(i) }
            else { self = .string(try c.decode(String.self)) }
        }
        var text: String {
            switch self {
            case .int(let i): return String(i)
            case .string(let s): return s
            case .bool(let b): return String(b)
            }
        }
    }

    static let expected: [String: Expected] = {
        struct File: Decodable { let files: [String: Expected] }
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode(File.self, from: data).files
    }()

    static func listing(_ name: String) throws -> TensorListing {
        let path = folder.appendingPathComponent(name).path
        return expected[name]!.format == "gguf" ? try GGUF.read(path: path) : try Safetensors.read(path: path)
    }

    @Test(arguments: expected.keys.sorted())
    func matchesTheReferenceReader(_ name: String) throws {
        let want = Self.expected[name]!
        let got = try Self.listing(name)
        let tensors = got.tensors.map {
            Expected.Tensor(name: $0.name, dtype: $0.dtype, shape: $0.shape, elements: $0.elements, bytes: $0.bytes ?? -1)
        }.sorted { $0.name < $1.name }
        #expect(tensors == want.tensors)
        #expect(got.totalElements == want.total_elements)
        #expect(got.bytesByDtype == want.bytes_by_dtype)
        #expect(got.tensors.count == want.tensor_count)
        if let metadata = want.metadata, name != "sharded" {
            #expect(Dictionary(uniqueKeysWithValues: got.metadata.map { ($0.key, $0.value) }) == metadata)
        }
        if name == "sharded" {
            // The index's total_size, then the shards' common __metadata__ once.
            #expect(got.metadata == [MetadataEntry(key: "total_size", value: String(want.bytes_by_dtype.values.reduce(0, +))),
                                     MetadataEntry(key: "format", value: "pt")])
        }
        // The same bytes through the in-memory entry point give the same listing.
        if !name.hasSuffix("sharded") {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let fromMemory = want.format == "gguf" ? try GGUF.parse(bytes: bytes, file: "x") : try Safetensors.parse(bytes: bytes, file: "x")
            #expect(fromMemory.tensors.map(\.name) == got.tensors.map(\.name))
            #expect(fromMemory.totalElements == got.totalElements)
        }
    }

    @Test func ggufHeaderAndMainMetadata() throws {
        for name in ["tiny.gguf", "tiny-big-endian.gguf"] {
            let want = Self.expected[name]!
            let got = try Self.listing(name)
            let summary = Dictionary(uniqueKeysWithValues: got.summary.map { ($0.key, $0.value) })
            #expect(summary["GGUF.version"] == String(want.version!))
            #expect((summary["GGUF.byte_order"] ?? "little") == (want.byte_order == "big" ? "big-endian" : "little"))
            for key in ["general.name", "general.architecture", "llama.block_count", "llama.context_length", "llama.embedding_length"] {
                #expect(summary[key] == want.fields![key]!.text, "\(name) \(key)")
            }
            // gguf-py's LlamaFileType name (MOSTLY_Q4_K_M) as llama.cpp prints it.
            #expect("MOSTLY_" + (summary["general.file_type"] ?? "") == want.fields!["general.file_type"]!.text)
            for (key, value) in want.fields! where key.hasPrefix("test.") {
                #expect(got.value(of: key) == value.text, "\(name) \(key)")
            }
            #expect(got.value(of: "tokenizer.ggml.tokens")?.hasPrefix("[40 × string: \"tok0\", \"tok1\"") == true)
            #expect(got.value(of: "test.nested") == "[[1, 2], [3, 4, 5]]")
        }
    }
}
