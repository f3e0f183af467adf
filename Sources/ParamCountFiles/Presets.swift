import ParamCountCore

public struct Preset: Sendable {
    public let id: String
    public let summary: String
    /// Where the reference total comes from.
    public let reference: String
    public let model: Model
}

/// Famous models, built as their reference implementations build them.
public enum Presets {
    public static let all: [Preset] = [
        example, lenet5, alexnet, vgg16, resnet18, resnet50, bertBase, gpt2Small, transformerBase, bilstmTagger,
    ]

    public static func named(_ id: String) -> Preset? { all.first { $0.id == id.lowercased() } }

    /// What `paramcount` opens with no file: small enough to read at a glance, with a recurrent layer
    /// to edit.
    public static let example = Preset(
        id: "example", summary: "sentiment classifier: embedding, LSTM, two dense layers (by-hand formulas)",
        reference: "the by-hand formulas",
        model: Model(name: "Sentiment classifier (example)", convention: .textbook, layers: [
            Layer(.embedding, name: "tokens", [(.vocab, .int(10_000)), (.dim, .int(128))]),
            Layer(.lstm, name: "encoder", [(.hidden, .int(256))]),
            Layer(.dense, name: "hidden", [(.out, .int(64))]),
            Layer(.dense, name: "classifier", [(.out, .int(2))]),
        ]))

    private static func conv(_ i: Int, _ o: Int, _ k: Int, bias: Bool = true, name: String? = nil) -> Layer {
        var fields: [(Field, FieldValue)] = [(.in, .int(i)), (.out, .int(o)), (.kernel, .int(k))]
        if !bias { fields.append((.bias, .bool(false))) }
        return Layer(.conv, name: name, fields)
    }
    private static func dense(_ i: Int, _ o: Int, name: String? = nil) -> Layer {
        Layer(.dense, name: name, [(.in, .int(i)), (.out, .int(o))])
    }
    private static func bn(_ c: Int, name: String? = nil) -> Layer { Layer(.batchnorm, name: name, [(.features, .int(c))]) }

    public static let lenet5 = Preset(
        id: "lenet5", summary: "LeNet-5 (LeCun et al. 1998), full C3 connections",
        reference: "61,706: the LeNet-5 of d2l.ai and Keras tutorials",
        model: Model(name: "LeNet-5", convention: .pytorch, layers: [
            conv(1, 6, 5, name: "C1"), conv(6, 16, 5, name: "C3"),
            dense(16 * 5 * 5, 120, name: "C5"), dense(120, 84, name: "F6"), dense(84, 10, name: "output"),
        ]))

    public static let alexnet = Preset(
        id: "alexnet", summary: "AlexNet as in torchvision",
        reference: "61,100,840: torchvision.models.alexnet()",
        model: Model(name: "AlexNet (torchvision)", convention: .pytorch, layers: [
            conv(3, 64, 11, name: "features.0"), conv(64, 192, 5, name: "features.3"),
            conv(192, 384, 3, name: "features.6"), conv(384, 256, 3, name: "features.8"),
            conv(256, 256, 3, name: "features.10"),
            dense(256 * 6 * 6, 4096, name: "classifier.1"), dense(4096, 4096, name: "classifier.4"),
            dense(4096, 1000, name: "classifier.6"),
        ]))

    public static let vgg16 = Preset(
        id: "vgg16", summary: "VGG16 (configuration D) as in torchvision",
        reference: "138,357,544: torchvision.models.vgg16()",
        model: {
            var layers: [Layer] = []
            var channels = 3
            for (block, (width, count)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].enumerated() {
                for j in 0..<count {
                    layers.append(conv(channels, width, 3, name: "conv\(block + 1)_\(j + 1)"))
                    channels = width
                }
            }
            layers += [dense(512 * 7 * 7, 4096, name: "fc6"), dense(4096, 4096, name: "fc7"), dense(4096, 1000, name: "fc8")]
            return Model(name: "VGG16 (torchvision)", convention: .pytorch, layers: layers)
        }())

    /// torchvision's ResNet: a 7×7 stem, four stages, global pooling and a classifier.
    private static func resnet(name: String, bottleneck: Bool, blocks: [Int]) -> Model {
        var layers: [Layer] = [conv(3, 64, 7, bias: false, name: "conv1"), bn(64, name: "bn1")]
        var channels = 64
        for (stage, count) in blocks.enumerated() {
            let width = 64 << stage
            let outChannels = bottleneck ? width * 4 : width
            for b in 0..<count {
                let p = "layer\(stage + 1).\(b)"
                let input = channels
                if bottleneck {
                    layers += [conv(input, width, 1, bias: false, name: "\(p).conv1"), bn(width),
                               conv(width, width, 3, bias: false, name: "\(p).conv2"), bn(width),
                               conv(width, outChannels, 1, bias: false, name: "\(p).conv3"), bn(outChannels)]
                } else {
                    layers += [conv(input, width, 3, bias: false, name: "\(p).conv1"), bn(width),
                               conv(width, width, 3, bias: false, name: "\(p).conv2"), bn(width)]
                }
                if b == 0 && input != outChannels {
                    layers += [conv(input, outChannels, 1, bias: false, name: "\(p).downsample"), bn(outChannels)]
                }
                channels = outChannels
            }
        }
        layers.append(dense(channels, 1000, name: "fc"))
        return Model(name: name, convention: .pytorch, layers: layers)
    }

    public static let resnet18 = Preset(
        id: "resnet18", summary: "ResNet-18 as in torchvision",
        reference: "11,689,512: torchvision.models.resnet18()",
        model: resnet(name: "ResNet-18 (torchvision)", bottleneck: false, blocks: [2, 2, 2, 2]))

    public static let resnet50 = Preset(
        id: "resnet50", summary: "ResNet-50 as in torchvision",
        reference: "25,557,032: torchvision.models.resnet50()",
        model: resnet(name: "ResNet-50 (torchvision)", bottleneck: true, blocks: [3, 4, 6, 3]))

    private static func transformerBlocks(_ kind: LayerKind, name: String, dim: Int, layers: Int, heads: Int, ff: Int,
                                          finalNorm: Bool = false) -> Layer {
        var fields: [(Field, FieldValue)] = [(.dim, .int(dim)), (.layers, .int(layers)), (.heads, .int(heads)), (.ff, .int(ff))]
        if finalNorm { fields.append((.finalNorm, .bool(true))) }
        return Layer(kind, name: name, fields)
    }

    public static let bertBase = Preset(
        id: "bert-base", summary: "BERT-base, uncased (BertModel with pooler)",
        reference: "109,482,240: transformers.BertModel(BertConfig())",
        model: Model(name: "BERT-base", convention: .pytorch, layers: [
            Layer(.embedding, name: "word embeddings", [(.vocab, .int(30_522)), (.dim, .int(768))]),
            Layer(.embedding, name: "position embeddings", [(.vocab, .int(512)), (.dim, .int(768))]),
            Layer(.embedding, name: "token type embeddings", [(.vocab, .int(2)), (.dim, .int(768))]),
            Layer(.layernorm, name: "embeddings norm"),
            transformerBlocks(.encoder, name: "encoder", dim: 768, layers: 12, heads: 12, ff: 3072),
            Layer(.dense, name: "pooler", [(.out, .int(768))]),
        ]))

    public static let gpt2Small = Preset(
        id: "gpt2-small", summary: "GPT-2 small, output head tied to the token embedding",
        reference: "124,439,808: transformers.GPT2Model(GPT2Config()); the LM head shares wte",
        model: Model(name: "GPT-2 small", convention: .pytorch, layers: [
            Layer(.embedding, name: "wte (tied to the LM head)", [(.vocab, .int(50_257)), (.dim, .int(768))]),
            Layer(.embedding, name: "wpe", [(.vocab, .int(1024)), (.dim, .int(768))]),
            transformerBlocks(.encoder, name: "blocks + ln_f", dim: 768, layers: 12, heads: 12, ff: 3072, finalNorm: true),
        ]))

    public static let transformerBase = Preset(
        id: "transformer-base", summary: "the original Transformer base (Vaswani et al. 2017), shared 37k BPE embedding",
        reference: "the paper's Table 3 gives 65M (rounded); the stacks equal torch.nn.Transformer()'s 44,140,544",
        model: Model(name: "Transformer base (Vaswani et al.)", convention: .pytorch, layers: [
            Layer(.embedding, name: "shared embedding (tied softmax)", [(.vocab, .int(37_000)), (.dim, .int(512))]),
            transformerBlocks(.encoder, name: "encoder", dim: 512, layers: 6, heads: 8, ff: 2048, finalNorm: true),
            transformerBlocks(.decoder, name: "decoder", dim: 512, layers: 6, heads: 8, ff: 2048, finalNorm: true),
        ]))

    public static let bilstmTagger = Preset(
        id: "bilstm-tagger", summary: "sequence tagger: embedding, 2-layer bidirectional LSTM, dense (Keras)",
        reference: "3,652,113: keras.Sequential([Embedding(10000, 128), Bidirectional(LSTM(256)) ×2, Dense(17)])",
        model: Model(name: "BiLSTM tagger", convention: .keras, layers: [
            Layer(.embedding, name: "tokens", [(.vocab, .int(10_000)), (.dim, .int(128))]),
            Layer(.lstm, name: "bilstm", [(.hidden, .int(256)), (.layers, .int(2)), (.bidirectional, .bool(true))]),
            Layer(.dense, name: "tags", [(.out, .int(17))]),
        ]))
}
