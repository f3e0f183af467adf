import Foundation
import Testing
import TestSupport

/// Checkpoints through the real binary: `count` on sparse full-size files, hostile files, and the
/// editor opening one.
@Suite("checkpoints end to end")
struct CheckpointE2ETests {
    // Llama-2-7B: 6,738,415,616 parameters (Meta's model card; the sum of the tensors of the
    // Hugging Face repository meta-llama/Llama-2-7b-hf, without its 32 rotary inv_freq buffers).
    static let llama2 = 6_738_415_616

    func json(_ r: Binary.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    @Test func sparseLlama2SafetensorsFolder() throws {
        let dir = tensorTempDir("e2e-llama2")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: false)
        for reference in [dir, dir + "/", dir + "/model.safetensors.index.json"] {
            let r = try Binary.run(["count", reference, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let obj = try json(r)
            #expect(obj["total"] as? Int == Self.llama2)
            #expect(obj["source_format"] as? String == "safetensors")
            #expect(obj["class"] is NSNull)
            #expect(obj["bytes_by_dtype"] as? [String: Int] == ["F16": 2 * Self.llama2])
            // The module tree: model (embed_tokens, layers, norm) and the head.
            #expect((obj["layers"] as? [[String: Any]])?.map { $0["name"] as? String } == ["model", "lm_head"])
        }
        let table = try Binary.run(["count", dir])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Total params:         6,738,415,616 (6.7B)"))
        #expect(table.stdout.contains("Source:               safetensors, 2 files"))
        #expect(table.stdout.contains("Stored:               F16 12.6 GiB (13,476,831,232 bytes)"))
        #expect(table.stdout.contains("lm_head"))
        #expect(table.stdout.contains("32000×4096 F16"))
        // The tree down to each row, with its tensors' shapes: layer 0's q_proj is row 1.2.1.1.1.
        #expect(Tmux.squeezed(table.stdout).contains("1.2.1.1.1 q_proj custom 4096×4096 F16 16,777,216"))
        let json = try json(try Binary.run(["count", dir, "--format", "json"]))
        let model = try #require((json["layers"] as? [[String: Any]])?.first)
        let inside = try #require((model["children"] as? [[[String: Any]]])?.first)
        #expect(inside.map { $0["name"] as? String } == ["embed_tokens", "layers", "norm"])
        #expect(inside.first?["shape"] as? String == "32000×4096 F16")
    }

    /// As downloaded from the hub: the shards, the index and meta-llama/Llama-2-7b-hf's config.json.
    @Test func theConfigBesideTheWeightsIsChecked() throws {
        let dir = tensorTempDir("e2e-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: true)
        let config = Binary.packageRoot.appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/hf/llama-Llama-2-7b-hf.json")
        try FileManager.default.copyItem(atPath: config.path, toPath: dir + "/config.json")
        let table = try Binary.run(["count", dir])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Config check:         config: 6,738,415,616 · weights: 6,738,415,616 ✓"))
        #expect(table.stdout.contains("buffers, not parameters, left out of the weights: 32 × rotary_emb.inv_freq (2,048 values)"))
        let obj = try json(try Binary.run(["count", dir, "--format", "json"]))
        #expect(obj["total"] as? Int == 6_738_417_664)
        let check = try #require(obj["config_check"] as? [String: Any])
        #expect(check["agrees"] as? Bool == true)
        #expect(check["config"] as? Int == Self.llama2 && check["weights"] as? Int == Self.llama2)
        #expect(check["class"] as? String == "LlamaForCausalLM")
        // The config alone is the Hugging Face reader's, which names the class it counted.
        let alone = try json(try Binary.run(["count", dir + "/config.json", "--format", "json"]))
        #expect(alone["total"] as? Int == Self.llama2)
        #expect(alone["class"] as? String == "LlamaForCausalLM")
    }

    @Test func sparseLlama2GGUF() throws {
        let dir = tensorTempDir("e2e-gguf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/llama-2-7b.Q4_K_M.gguf"
        // Q4_K weights (ggml type 12), general.file_type 15 = Q4_K_M (llama.cpp's llama_ftype).
        GGUFFile.llama2_7B(type: 12, fileType: 15).write(path)
        let r = try Binary.run(["count", path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try json(r)
        #expect(obj["total"] as? Int == Self.llama2)
        #expect(obj["source_format"] as? String == "gguf")
        #expect(obj["name"] as? String == "Llama 2 7B")
        let bytes = obj["bytes_by_dtype"] as? [String: Int]
        // gguf-py's GGML_QUANT_SIZES: Q4_K keeps 256 values in 144 bytes; the 65 norms stay F32.
        #expect(bytes == ["Q4_K": (Self.llama2 - 65 * 4_096) / 256 * 144, "F32": 65 * 4_096 * 4])
        let table = try Binary.run(["count", path])
        for line in ["Source:               GGUF v3", "  general.name:       Llama 2 7B", "  general.architecture: llama",
                     "  llama.block_count:  32", "  llama.context_length: 4096", "  llama.embedding_length: 4096",
                     "  general.file_type:  Q4_K_M", "Stored:               Q4_K 3.5 GiB · F32 1.0 MiB"] {
            #expect(table.stdout.contains(line), "missing \(line) in\n\(table.stdout)")
        }
    }

    /// `count --compare` puts a design beside the checkpoint by kind: the checkpoint's rows are
    /// sorted by their tensors' names. Llama-2-7B's published shapes (config.json of
    /// meta-llama/Llama-2-7b-hf): width 4,096, FFN 11,008, 32 layers, vocabulary 32,000.
    @Test func aDesignAndTheCheckpointByKind() throws {
        let dir = tensorTempDir("e2e-bykind")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ckpt = dir + "/Llama-2-7b-hf"
        try FileManager.default.createDirectory(atPath: ckpt, withIntermediateDirectories: true)
        Llama2_7B.writeFolder(ckpt, invFreq: true)
        // One decoder layer written out, as a design under way.
        let design = """
            layers:
              - kind: embedding
                vocab: 32000
                dim: 4096
              - kind: attention
                heads: 32
                bias: false
              - kind: mlp
                ff: 11008
                gated: true
                bias: false
            """
        try design.write(toFile: dir + "/design.yaml", atomically: true, encoding: .utf8)
        let r = try Binary.run(["count", dir + "/design.yaml", ckpt, "--compare", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try json(r)
        #expect((obj["b"] as? [String: Any])?["source_format"] as? String == "safetensors")
        let kinds = Dictionary(uniqueKeysWithValues: (obj["by_kind"] as! [[String: Any]]).map { ($0["kind"] as! String, $0) })
        #expect(kinds["attention"]?["a"] as? Int == 4 * 4_096 * 4_096)
        #expect(kinds["attention"]?["b"] as? Int == 32 * 4 * 4_096 * 4_096)
        #expect(kinds["FFN/dense"]?["a"] as? Int == 3 * 4_096 * 11_008)
        #expect(kinds["FFN/dense"]?["b"] as? Int == 32 * 3 * 4_096 * 11_008 + 32_000 * 4_096)
        #expect(kinds["embedding"]?["b"] as? Int == 32_000 * 4_096)
        #expect(kinds["norm"]?["b"] as? Int == 65 * 4_096)
        // The 32 rotary buffers, 64 values each, are the checkpoint's only "other".
        #expect(kinds["other"]?["b"] as? Int == 2_048)
    }

    /// Each hostile file: exit 1, nothing on stdout, and a message naming the file and the fault.
    @Test func hostileFilesExitOneNamingTheFile() throws {
        let dir = tensorTempDir("e2e-hostile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func file(_ name: String, _ bytes: [UInt8]) -> String {
            let path = dir + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return path
        }
        let good = SafetensorsFile.bytes([("w.weight", "F32", [2, 3])])
        var st = SafetensorsFile.header([("w.weight", "F32", [2, 3])]).json
        let lengthOnly = { (n: UInt64) in (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
        var ggufTooMany = GGUFFile()
        ggufTooMany.tensorCount = 3_000_000_000
        var ggufLongString = GGUFFile()
        ggufLongString.kv = [("general.name", .rawString(length: 1 << 40, bytes: Array("x".utf8)))]
        var ggufFiveDims = GGUFFile()
        ggufFiveDims.tensors = [GGUFFile.Tensor(name: "t", dims: [1, 1, 1, 1, 1], type: 0)]
        var ggufZeroDims = GGUFFile()
        ggufZeroDims.tensors = [GGUFFile.Tensor(name: "t", dims: [], type: 0)]
        var ggufVersion = GGUFFile()
        ggufVersion.version = 7
        st = st.replacingOccurrences(of: "\"w.weight\"", with: "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\"")

        let cases: [(String, [UInt8], String)] = [
            ("truncated.safetensors", Array(good.dropLast(8)), "is truncated"),
            ("bad-magic.gguf", Array("GGML".utf8) + [UInt8](repeating: 0, count: 28), "does not start with the GGUF magic"),
            ("too-long.safetensors", lengthOnly(200_000_000) + Array("{}".utf8), "safetensors headers are limited to 100000000 bytes"),
            ("past-end.safetensors", lengthOnly(4_096) + Array("{}".utf8), "declares a header of 4096 bytes but only 2 bytes follow"),
            ("not-json.safetensors", SafetensorsFile.head("{nope}"), "is not valid JSON"),
            ("not-object.safetensors", SafetensorsFile.head("[1, 2]"), "is JSON but not an object"),
            ("overflow.safetensors", SafetensorsFile.head(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#),
             "does not fit in 64 bits"),
            ("duplicate.safetensors", SafetensorsFile.head(st), "appears twice"),
            ("dtype.safetensors", SafetensorsFile.head(#"{"w":{"dtype":"F12","shape":[1],"data_offsets":[0,2]}}"#) + [0, 0],
             "which safetensors does not define"),
            ("count.gguf", ggufTooMany.bytes, "declares 3000000000 tensors"),
            ("string.gguf", ggufLongString.bytes, "bytes long but only"),
            ("dims.gguf", ggufFiveDims.bytes, "has 5 dimensions; GGUF tensors have 1 to 4"),
            ("zero-dims.gguf", ggufZeroDims.bytes, "has 0 dimensions; GGUF tensors have 1 to 4"),
            ("version.gguf", ggufVersion.bytes, "is GGUF version 7; versions 2 and 3 are supported"),
        ]
        for (name, bytes, fault) in cases {
            let path = file(name, bytes)
            let r = try Binary.run(["count", path])
            #expect(r.status == 1, "\(name): status \(r.status)")
            #expect(r.stdout.isEmpty, "\(name)")
            #expect(r.stderr.hasPrefix("paramcount: \(path)"), "\(name): \(r.stderr)")
            #expect(r.stderr.contains(fault), "\(name): \(r.stderr)")
            #expect(r.stderr.components(separatedBy: "\n").count == 2, "\(name): one line")
        }

        // An index naming a shard that is not there.
        let shards = dir + "/shards"
        try FileManager.default.createDirectory(atPath: shards, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: shards + "/model-00001-of-00002.safetensors", contents: Data(good))
        try #"{"weight_map": {"w.weight": "model-00001-of-00002.safetensors", "v": "model-00002-of-00002.safetensors"}}"#
            .write(toFile: shards + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        let missing = try Binary.run(["count", shards])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(shards)/model.safetensors.index.json: names shard \"model-00002-of-00002.safetensors\", which is not in"))
    }

    @Test func theEditorOpensACheckpointAndSavesACopyUnderANewName() throws {
        guard Tmux.available else { return }
        let dir = tensorTempDir("e2e-edit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Llama2_7B.writeFolder(dir, invFreq: true)
        let config = Binary.packageRoot.appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/hf/llama-Llama-2-7b-hf.json")
        try FileManager.default.copyItem(atPath: config.path, toPath: dir + "/config.json")
        let t = try Tmux(width: 120, height: 36, arguments: [dir])
        try t.waitFor("Total 6,738,417,664")
        // The title says the config beside the weights agrees with them.
        try t.waitFor("config ✓")
        // The second row is the head: its form lists the tensor it holds.
        try t.send("j")
        // The whole frame, not its first rows: the form is drawn after the title.
        let screen = try t.waitFor("the head's form") {
            $0.contains("custom \"lm_head\"") && Tmux.squeezed($0).contains("weight 32000×4096 F16 131,072,000")
        }
        #expect(Tmux.squeezed(screen).contains("Tensors (1)"))
        #expect(Tmux.squeezed(screen).contains("weight 32000×4096 F16 131,072,000"))
        #expect(screen.contains("safetensors, 2 files"))
        // Nothing is written over the checkpoint: s asks for a name.
        try t.send("s")
        try t.waitFor("Save as:")
        try t.send("C-u")
        let copy = dir + "/copy.yaml"
        try t.type(copy)
        try t.send("Enter")
        try t.waitFor("Saved")
        try t.send("q")
        try t.waitFor("[exited 0]")
        let saved = try String(contentsOfFile: copy, encoding: .utf8)
        // The module tree as groups, the rows as custom layers with their kind in the breakdown.
        #expect(saved.contains("kind: group"))
        #expect(saved.contains("name: \"q_proj\""))
        #expect(saved.contains("category: attention"))
        let recount = try Binary.run(["count", copy, "--format", "json"])
        #expect(try json(recount)["total"] as? Int == 6_738_417_664)
        #expect(try json(recount)["non_trainable"] as? Int == 2_048)
    }

    @Test func aDesignBesideTheCheckpointAlignsByModulePath() throws {
        guard Tmux.available else { return }
        let dir = tensorTempDir("e2e-compare")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ckpt = dir + "/Llama-2-7b-hf"
        try FileManager.default.createDirectory(atPath: ckpt, withIntermediateDirectories: true)
        Llama2_7B.writeFolder(ckpt, invFreq: false)
        // A design named as the checkpoint's modules are: model (embed_tokens, norm) and the head.
        let design = """
            name: design
            layers:
              - kind: group
                name: model
                layers:
                  - kind: embedding
                    name: embed_tokens
                    vocab: 32000
                    dim: 4096
                  - kind: rmsnorm
                    name: norm
              - kind: dense
                name: lm_head
                out: 32000
                bias: false
            """
        try design.write(toFile: dir + "/design.yaml", atomically: true, encoding: .utf8)
        let t = try Tmux(width: 140, height: 40, arguments: [dir + "/design.yaml", ckpt])
        let screen = try t.waitFor("Llama-2-7b-hf")
        #expect(screen.contains("design"))
        // The heads pair up by name: on both sides of one line, with the same count.
        let row = screen.components(separatedBy: "\n").first { $0.contains("lm_head") }
        #expect(row?.components(separatedBy: "lm_head").count == 3, "\(screen)")
        #expect(row?.components(separatedBy: "131.1M").count == 3, "\(screen)")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }
}
