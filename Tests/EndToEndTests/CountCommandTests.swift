import Foundation
import Testing

@Suite("paramcount count")
struct CountCommandTests {
    // transformers.BertModel(BertConfig()) has 109,482,240 parameters.
    @Test func bertAsJSON() throws {
        let r = try Binary.run(["count", "preset:bert-base", "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["total"] as? Int == 109_482_240)
    }

    @Test func invalidFileExitsOneNamingLayerAndField() throws {
        let path = try Binary.temporaryFile("bad.yaml", "layers:\n  - kind: dense\n    in: 4\n    out: 2\n  - kind: lstm\n    name: enc\n    hiden: 8\n")
        let r = try Binary.run(["count", path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("bad.yaml:7: layer 2 (\"enc\"), field 'hiden': is not a field of lstm (did you mean 'hidden'?)"))
    }

    // torch.nn.Sequential(Linear(4, 8), 3 × [Linear(8, 8), LayerNorm(8)]): 40 + 3 × (72 + 16) = 304.
    static let grouped = """
        layers:
          - kind: dense
            in: 4
            out: 8
          - kind: group
            name: blocks
            repeat: 3
            layers:
              - kind: dense
                name: inner
                out: 8
              - kind: layernorm
        """

    @Test func groupsPrintAsATreeAndFoldWithDepth() throws {
        let path = try Binary.temporaryFile("grouped.yaml", Self.grouped)
        let full = try Binary.run(["count", path])
        #expect(full.status == 0 && full.stdout.contains("Total params:         304 (304)"))
        #expect(full.stdout.contains("2.1    inner ") && full.stdout.contains("72 ×3"), "\(full.stdout)")
        let folded = try Binary.run(["count", path, "--depth", "1"])
        #expect(folded.status == 0 && !folded.stdout.contains("inner") && folded.stdout.contains("264"))
        let json = try Binary.run(["count", path, "--format", "json"])
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let group = (obj["layers"] as! [[String: Any]])[1]
        #expect(group["repeat"] as? Int == 3 && ((group["children"] as? [[[String: Any]]])?.first?.count == 2))
        #expect(try Binary.run(["count", path, "--depth", "0"]).status == 2)
    }

    @Test func anErrorInsideAGroupNamesItsPathAndLine() throws {
        let bad = Self.grouped.replacingOccurrences(of: "      - kind: layernorm", with: "      - kind: attention\n        name: attn\n        heads: 3")
        let path = try Binary.temporaryFile("bad-group.yaml", bad)
        let r = try Binary.run(["count", path])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("bad-group.yaml:14: layers[1]/layers[1] (\"attn\"), field 'heads': 3 heads do not divide dim 8"), "\(r.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Binary.run(["count", "preset:example", "--format", "xml"]).status == 2)
        #expect(try Binary.run(["count", "preset:example", "--convention", "tf"]).status == 2)
        #expect(try Binary.run(["count"]).status == 2)
        #expect(try Binary.run(["count", "--bogus", "x"]).status == 2)
    }

    @Test func conventionOverrideAndDtype() throws {
        // torch.nn.LSTM(128, 256): 4·(128·256 + 256·256 + 2·256) = 395,264; int8 is one byte each.
        let path = try Binary.temporaryFile("lstm.yaml", "layers:\n  - kind: lstm\n    in: 128\n    hidden: 256\n")
        let r = try Binary.run(["count", path, "--convention", "pytorch", "--dtype", "int8"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Total params:         395,264 (395.3K)"))
        #expect(r.stdout.contains("386.0 KiB"))
    }

    @Test func severalFilesPrintOneBlockEach() throws {
        let r = try Binary.run(["count", "preset:lenet5", "preset:alexnet", "--format", "json"])
        let arr = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        #expect(arr.map { $0["total"] as? Int } == [61_706, 61_100_840])
        let table = try Binary.run(["count", "preset:lenet5", "preset:alexnet"])
        #expect(table.stdout.components(separatedBy: "Total params:").count == 3)
    }

    @Test func missingFileExitsOne() throws {
        let r = try Binary.run(["count", "/no/such/model.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no such file"))
    }

    @Test func helpAndVersion() throws {
        let help = try Binary.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Examples:"))
        #expect(try Binary.run(["count", "--help"]).stdout.contains("paramcount count preset:resnet50"))
        #expect(try Binary.run(["--version"]).stdout.hasPrefix("paramcount "))
    }

    @Test func presetsListsTotals() throws {
        let r = try Binary.run(["presets"])
        #expect(r.stdout.contains("bert-base") && r.stdout.contains("109,482,240"))
    }
}

@Suite("paramcount count --compare")
struct CountCompareTests {
    @Test func bertVersusGPT2() throws {
        let r = try Binary.run(["count", "preset:bert-base", "preset:gpt2-small", "--compare", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let diff = obj["difference"] as! [String: Any]
        // 124,439,808 − 109,482,240 (published totals of both).
        #expect(diff["total"] as? Int == 14_957_568)
        let table = try Binary.run(["count", "preset:bert-base", "preset:gpt2-small", "--compare"])
        #expect(table.stdout.contains("+14,957,568"))
        #expect(try Binary.run(["count", "preset:bert-base", "--compare"]).status == 2)
    }
}

@Suite("integer limits through the count command")
struct CountLimitTests {
    @Test(arguments: ["0", "-1", "2.5", "9223372036854775808", "\"12\""])
    func badWidthsExitOne(_ value: String) throws {
        let path = try Binary.temporaryFile("m.yaml", "layers:\n  - kind: dense\n    in: 4\n    out: \(value)\n")
        let r = try Binary.run(["count", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("layer 1, field 'out'"), "\(r.stderr)")
    }

    @Test func largestCountThatFitsAndOneThatDoesNot() throws {
        let fits = try Binary.temporaryFile("m.yaml", "layers:\n  - kind: custom\n    params: 9223372036854775807\n")
        let r = try Binary.run(["count", fits, "--format", "json"])
        #expect(r.status == 0 && r.stdout.contains("\"total\": 9223372036854775807"))
        // 2^31 · 2^31 + 2^31 fits; the second layer's 2^31 · 2^32 = 2^63 does not.
        let over = try Binary.temporaryFile("m.yaml", """
            layers:
              - kind: dense
                in: 2147483648
                out: 2147483648
              - kind: dense
                name: second
                out: 4294967296
            """)
        let e = try Binary.run(["count", over])
        #expect(e.status == 1)
        #expect(e.stderr.contains("layer 2 (\"second\")") && e.stderr.contains("64 bits"), "\(e.stderr)")
    }
}

@Suite("paramcount count with shapes")
struct CountShapesTests {
    /// torchvision 0.29.2 resnet50() under torch 2.15's FlopCounterMode at 1×3×224×224: 8,178,368,512
    /// FLOPs, 4,089,184,256 MACs; fc reads [2048] and gives [1000].
    @Test func jsonHasShapesAndMACs() throws {
        let r = try Binary.run(["count", "preset:resnet50", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["macs"] as? Int == 4_089_184_256)
        #expect(obj["input_shape"] as? [Int] == [3, 224, 224])
        #expect(obj["output_shape"] as? [Int] == [1000])
        let layers = obj["layers"] as! [[String: Any]]
        let fc = layers.last!
        #expect(fc["output_shape"] as? [Int] == [1000])
        #expect(fc["macs"] as? Int == 2048 * 1000)
        // Without an input shape the fields are there, and null.
        let plain = try JSONSerialization.jsonObject(with: Data(try Binary.run(["count", "preset:bert-base", "--format", "json"]).stdout.utf8))
            as! [String: Any]
        #expect(plain["macs"] is NSNull)
        #expect((plain["layers"] as! [[String: Any]]).allSatisfy { $0["output_shape"] is NSNull && $0["macs"] is NSNull })
    }

    /// `--input` replaces the model's input shape. torchvision's vgg16 without its adaptive pool,
    /// fc6 reading 512·14·14, at 1×3×448×448 (torch 2.15 FlopCounterMode/2): 446,638,888 parameters,
    /// 61,818,437,632 MACs.
    @Test func inputOptionReshapesTheModel() throws {
        let r = try Binary.run(["count", "preset:vgg16", "--input", "3,448,448"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Total params:         446,638,888"))
        #expect(r.stdout.contains("Total MACs:           61,818,437,632 (61.8G) per sample"))
        #expect(r.stdout.contains("Input shape:          [3, 448, 448] → output [1000]"))
        #expect(r.stdout.contains("[512, 14, 14]"))

        let bad = try Binary.run(["count", "preset:vgg16", "--input", "3,x"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--input has an empty size"))
        // Too small for LeNet-5's second convolution: located, with the input that was given.
        let small = try Binary.run(["count", "preset:lenet5", "--input", "1,8,8"])
        #expect(small.status == 1)
        #expect(small.stderr.contains("layer 3 (\"C3\"), field 'kernel': spans 5 but the input is 2 wide"))
        #expect(small.stderr.contains("(with --input [1, 8, 8])"))
    }

    /// A checkpoint's rows are its tensors: no shapes to work out, so --input is refused.
    @Test func inputOnACheckpointIsRefused() throws {
        let path = Binary.packageRoot.appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/tensors/llama-tiny.safetensors").path
        let r = try Binary.run(["count", path, "--input", "16"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--input needs layers with formulas; a checkpoint's rows are its tensors"))
    }

    /// CSV and Markdown gain the two columns when a model has an input shape (LeNet-5 at 1×32×32:
    /// torch 2.15 FlopCounterMode/2 gives C1 117,600 MACs and 416,520 in all).
    @Test func csvAndMarkdownCarryShapes() throws {
        let csv = try Binary.run(["count", "preset:lenet5", "preset:bert-base", "--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "model,index,name,kind,shape,params,trainable,non_trainable,share,depth,repeat,times,output_shape,macs")
        #expect(lines[1].hasSuffix(",\"[6, 28, 28]\",117600"))
        #expect(lines.contains("preset:lenet5,,Total,,,61706,61706,0,,,,,[10],416520"))
        // BERT has no input: its rows leave the two columns empty, and every row has 14 fields.
        #expect(lines.contains { $0.hasPrefix("preset:bert-base,1,") && $0.hasSuffix(",,") })
        let md = try Binary.run(["count", "preset:lenet5", "--format", "markdown"])
        #expect(md.stdout.contains("| # | Layer | Kind | Shape | Output shape | Params | MACs | Share |"))
        #expect(md.stdout.contains("| 1 | C1 | conv | 1→6 k5×5 | [6, 28, 28] | 156 | 117,600 | 0.3% |"))
        #expect(md.stdout.contains("**MACs:** 416,520"))
        let plain = try Binary.run(["count", "preset:bert-base", "--format", "csv"])
        #expect(plain.stdout.hasPrefix("model,index,name,kind,shape,params,trainable,non_trainable,share,depth,repeat,times\n"))
    }

    /// --compare adds the MACs when both models have input shapes: torchvision's resnet18 and
    /// resnet50 at 3×224×224 under torch 2.15 FlopCounterMode/2 (Fixtures/shapes/expected.json).
    @Test func compareAddsMACs() throws {
        let r = try Binary.run(["count", "preset:resnet18", "preset:resnet50", "--compare"])
        #expect(r.status == 0)
        #expect(Tmux.squeezed(r.stdout).contains("MACs 1,814,073,344 4,089,184,256 +2,275,110,912 ×2.25"), "\(r.stdout)")
        let csv = try Binary.run(["count", "preset:resnet18", "preset:resnet50", "--compare", "--format", "csv"])
        #expect(csv.stdout.contains("macs,1814073344,4089184256,2275110912,2.25"))
        // One model without a shape: no MACs line.
        let mixed = try Binary.run(["count", "preset:resnet18", "preset:bert-base", "--compare"])
        #expect(!mixed.stdout.contains("MACs"))
    }
}
