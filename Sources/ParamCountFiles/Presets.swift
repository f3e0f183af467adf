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
        example, lenet5, alexnet, vgg16, resnet18, resnet50, resnet101, bertBase, gpt2Small, llama2_7b, llama31_8b, mistral7b,
        mixtral8x7b, qwen3_30b_a3b, transformerBase, bilstmTagger,
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

    private static func conv(_ i: Int?, _ o: Int, _ k: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
                             name: String? = nil) -> Layer {
        var fields: [(Field, FieldValue)] = [(.out, .int(o)), (.kernel, .int(k))]
        if let i { fields.insert((.in, .int(i)), at: 0) }
        if stride != 1 { fields.append((.stride, .int(stride))) }
        if padding != 0 { fields.append((.padding, .int(padding))) }
        if !bias { fields.append((.bias, .bool(false))) }
        return Layer(.conv, name: name, fields)
    }
    /// A dense layer; without `i` it reads the width above (after a flatten, the flattened size).
    private static func dense(_ i: Int?, _ o: Int, name: String? = nil) -> Layer {
        Layer(.dense, name: name, (i.map { [(Field.in, FieldValue.int($0))] } ?? []) + [(.out, .int(o))])
    }
    private static func bn(_ c: Int, name: String? = nil) -> Layer { Layer(.batchnorm, name: name, [(.features, .int(c))]) }
    private static func pool(_ mode: String, _ k: Int, stride: Int? = nil, padding: Int = 0, name: String? = nil) -> Layer {
        var fields: [(Field, FieldValue)] = [(.mode, .option(Word(mode)!)), (.kernel, .int(k))]
        if let stride { fields.append((.stride, .int(stride))) }
        if padding != 0 { fields.append((.padding, .int(padding))) }
        return Layer(.pool, name: name, fields)
    }
    /// torchvision's AdaptiveAvgPool2d before the classifier.
    private static func adaptive(_ size: Int, name: String) -> Layer {
        Layer(.pool, name: name, [(.mode, .option("avg")), (.output, .int(size))])
    }
    private static func flatten() -> Layer { Layer(.flatten, name: "flatten") }

    public static let lenet5 = Preset(
        id: "lenet5", summary: "LeNet-5 (LeCun et al. 1998), full C3 connections",
        reference: "61,706: the LeNet-5 of d2l.ai and Keras tutorials",
        model: Model(name: "LeNet-5", convention: .pytorch, input: [1, 32, 32], layers: [
            conv(1, 6, 5, name: "C1"), pool("avg", 2, name: "S2"), conv(nil, 16, 5, name: "C3"), pool("avg", 2, name: "S4"),
            flatten(), dense(nil, 120, name: "C5"), dense(nil, 84, name: "F6"), dense(nil, 10, name: "output"),
        ]))

    public static let alexnet = Preset(
        id: "alexnet", summary: "AlexNet as in torchvision",
        reference: "61,100,840: torchvision.models.alexnet()",
        model: Model(name: "AlexNet (torchvision)", convention: .pytorch, input: [3, 224, 224], layers: [
            conv(3, 64, 11, stride: 4, padding: 2, name: "features.0"), pool("max", 3, stride: 2, name: "features.2"),
            conv(nil, 192, 5, padding: 2, name: "features.3"), pool("max", 3, stride: 2, name: "features.5"),
            conv(nil, 384, 3, padding: 1, name: "features.6"), conv(nil, 256, 3, padding: 1, name: "features.8"),
            conv(nil, 256, 3, padding: 1, name: "features.10"), pool("max", 3, stride: 2, name: "features.12"),
            adaptive(6, name: "avgpool"), flatten(),
            dense(nil, 4096, name: "classifier.1"), dense(nil, 4096, name: "classifier.4"), dense(nil, 1000, name: "classifier.6"),
        ]))

    /// Without torchvision's AdaptiveAvgPool2d((7, 7)), as in the paper: at 224×224 that pool is the
    /// identity (the same shapes, parameters and MACs), and without it the classifier's input
    /// follows the input size, which is what a user changing the input wants to see.
    public static let vgg16 = Preset(
        id: "vgg16", summary: "VGG16 (configuration D) as in torchvision",
        reference: "138,357,544: torchvision.models.vgg16()",
        model: {
            var layers: [Layer] = []
            for (block, (width, count)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].enumerated() {
                for j in 0..<count {
                    layers.append(conv(layers.isEmpty ? 3 : nil, width, 3, padding: 1, name: "conv\(block + 1)_\(j + 1)"))
                }
                layers.append(pool("max", 2, name: "pool\(block + 1)"))
            }
            layers += [flatten(), dense(nil, 4096, name: "fc6"), dense(nil, 4096, name: "fc7"), dense(nil, 1000, name: "fc8")]
            return Model(name: "VGG16 (torchvision)", convention: .pytorch, input: [3, 224, 224], layers: layers)
        }())

    /// torchvision's ResNet (v1.5) as its module tree: the stem (conv1, bn1, maxpool), four stages
    /// layer1…layer4, then avgpool, flatten and the classifier fc. A stage is block 0, a parallel of
    /// the main path and the downsample (or the identity), then the other blocks, identical, as one
    /// group. The first block of stages 2–4 halves the size: its 3×3 conv (a basic block's first)
    /// and its downsample have stride 2. Convolutions and batch norms take their widths from the
    /// layer before, so a block reads whatever comes in.
    private static func resnet(name: String, bottleneck: Bool, blocks: [Int]) -> Model {
        func conv(_ out: Int, _ kernel: Int, _ name: String, stride: Int = 1) -> Layer {
            Presets.conv(nil, out, kernel, stride: stride, padding: kernel / 2, bias: false, name: name)
        }
        var layers: [Layer] = [Presets.conv(3, 64, 7, stride: 2, padding: 3, bias: false, name: "conv1"), bn(64, name: "bn1"),
                               pool("max", 3, stride: 2, padding: 1, name: "maxpool")]
        var channels = 64
        for (stage, count) in blocks.enumerated() {
            let width = 64 << stage
            let out = bottleneck ? width * 4 : width
            func main(stride: Int) -> [Layer] {
                bottleneck
                    ? [conv(width, 1, "conv1"), Layer(.batchnorm, name: "bn1"), conv(width, 3, "conv2", stride: stride),
                       Layer(.batchnorm, name: "bn2"), conv(out, 1, "conv3"), Layer(.batchnorm, name: "bn3")]
                    : [conv(width, 3, "conv1", stride: stride), Layer(.batchnorm, name: "bn1"), conv(width, 3, "conv2"),
                       Layer(.batchnorm, name: "bn2")]
            }
            let stride = stage == 0 ? 1 : 2
            // torchvision downsamples the first block's input when its width or size changes.
            let shortcut = channels == out && stride == 1 ? []
                : [conv(out, 1, "downsample.0", stride: stride), Layer(.batchnorm, name: "downsample.1")]
            var body: [Layer] = [.parallel(name: "0", [main(stride: stride), shortcut])]
            if count > 1 {
                body.append(.group(name: count == 2 ? "1" : "1-\(count - 1)", repeat: count - 1, [.parallel([main(stride: 1), []])]))
            }
            layers.append(.group(name: "layer\(stage + 1)", body))
            channels = out
        }
        layers += [adaptive(1, name: "avgpool"), flatten(), dense(nil, 1000, name: "fc")]
        return Model(name: name, convention: .pytorch, input: [3, 224, 224], layers: layers)
    }

    public static let resnet18 = Preset(
        id: "resnet18", summary: "ResNet-18 as in torchvision",
        reference: "11,689,512: torchvision.models.resnet18()",
        model: resnet(name: "ResNet-18 (torchvision)", bottleneck: false, blocks: [2, 2, 2, 2]))

    public static let resnet50 = Preset(
        id: "resnet50", summary: "ResNet-50 as in torchvision",
        reference: "25,557,032: torchvision.models.resnet50()",
        model: resnet(name: "ResNet-50 (torchvision)", bottleneck: true, blocks: [3, 4, 6, 3]))

    /// ResNet-50 with 23 blocks in its third stage instead of 6: one repeat changed.
    public static let resnet101 = Preset(
        id: "resnet101", summary: "ResNet-101 as in torchvision",
        reference: "44,549,160: torchvision.models.resnet101()",
        model: {
            var model = resnet50.model
            model.name = "ResNet-101 (torchvision)"
            let blocks = LayerPath([.layer(5), .layer(1)])   // layer3 / 1-5
            var group = model.layer(at: blocks)!
            group.name = "1-22"
            group.fields[.repeat] = .int(22)
            model.replace(at: blocks, with: group)
            return model
        }())

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
            // BertPooler reads hidden_states[:, 0], the [CLS] token, then a dense layer.
            Layer(.pool, name: "[CLS] token", [(.mode, .option("first"))]),
            Layer(.dense, name: "pooler", [(.out, .int(768))]),
        ]))

    /// transformers' GPT2LMHeadModel as its modules are named: the token and position tables, 12
    /// blocks (ln_1, attn, ln_2, mlp), ln_f, and lm_head, whose weight is wte's.
    public static let gpt2Small = Preset(
        id: "gpt2-small", summary: "GPT-2 small, output head tied to the token embedding",
        reference: "124,439,808: transformers.GPT2LMHeadModel(GPT2Config()); lm_head shares wte",
        model: Model(name: "GPT-2 small", convention: .pytorch, layers: [
            Layer(.embedding, name: "wte", [(.vocab, .int(50_257)), (.dim, .int(768))]),
            Layer(.embedding, name: "wpe", [(.vocab, .int(1024)), (.dim, .int(768))]),
            .group(name: "h", repeat: 12, [
                Layer(.layernorm, name: "ln_1"),
                Layer(.attention, name: "attn", [(.heads, .int(12))]),
                Layer(.layernorm, name: "ln_2"),
                Layer(.mlp, name: "mlp", [(.ff, .int(3072))]),
            ]),
            Layer(.layernorm, name: "ln_f"),
            Layer(.dense, name: "lm_head", [(.out, .int(50_257)), (.bias, .bool(false)), (.tied, .bool(true))]),
        ]))

    /// A decoder-only language model as transformers builds LlamaForCausalLM and its relatives, with
    /// their module names: embed_tokens, the decoder layers (input_layernorm, self_attn,
    /// post_attention_layernorm, mlp) as one group, norm and an untied lm_head. No biases.
    private static func decoder(name: String, vocab: Int, dim: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int? = nil,
                                qkNorm: Bool = false, mlp: Int? = nil, experts: (count: Int, topK: Int, ff: Int)? = nil) -> Model {
        var attention: [(Field, FieldValue)] = [(.heads, .int(heads)), (.kvHeads, .int(kvHeads)), (.bias, .bool(false))]
        if let headDim { attention.append((.headDim, .int(headDim))) }
        if qkNorm { attention.append((.qkNorm, .option("head"))) }
        let feedForward: Layer
        if let experts {
            feedForward = Layer(.moe, name: "mlp", [(.experts, .int(experts.count)), (.topK, .int(experts.topK)), (.ff, .int(experts.ff))])
        } else {
            feedForward = Layer(.mlp, name: "mlp", [(.ff, .int(mlp ?? 4 * dim)), (.gated, .bool(true)), (.bias, .bool(false))])
        }
        return Model(name: name, convention: .pytorch, layers: [
            Layer(.embedding, name: "embed_tokens", [(.vocab, .int(vocab)), (.dim, .int(dim))]),
            .group(name: "layers", repeat: layers, [
                Layer(.rmsnorm, name: "input_layernorm"),
                Layer(.attention, name: "self_attn", attention),
                Layer(.rmsnorm, name: "post_attention_layernorm"),
                feedForward,
            ]),
            Layer(.rmsnorm, name: "norm"),
            Layer(.dense, name: "lm_head", [(.out, .int(vocab)), (.bias, .bool(false))]),
        ])
    }

    public static let llama2_7b = Preset(
        id: "llama-2-7b", summary: "Llama 2 7B (LlamaForCausalLM)",
        reference: "6,738,415,616: transformers.LlamaForCausalLM on meta-llama/Llama-2-7b-hf's config.json",
        model: decoder(name: "Llama-2-7B", vocab: 32_000, dim: 4096, layers: 32, heads: 32, kvHeads: 32, mlp: 11_008))

    public static let llama31_8b = Preset(
        id: "llama-3.1-8b", summary: "Llama 3.1 8B, grouped-query attention",
        reference: "8,030,261,248: transformers.LlamaForCausalLM on meta-llama/Llama-3.1-8B's config.json",
        model: decoder(name: "Llama-3.1-8B", vocab: 128_256, dim: 4096, layers: 32, heads: 32, kvHeads: 8, mlp: 14_336))

    public static let mistral7b = Preset(
        id: "mistral-7b", summary: "Mistral 7B v0.1, grouped-query attention",
        reference: "7,241,732,096: transformers.MistralForCausalLM on mistralai/Mistral-7B-v0.1's config.json",
        model: decoder(name: "Mistral-7B-v0.1", vocab: 32_000, dim: 4096, layers: 32, heads: 32, kvHeads: 8, mlp: 14_336))

    public static let mixtral8x7b = Preset(
        id: "mixtral-8x7b", summary: "Mixtral 8x7B: 8 experts, 2 per token",
        reference: "46,702,792,704 total, 12,879,925,248 active: transformers.MixtralForCausalLM on "
            + "mistralai/Mixtral-8x7B-v0.1's config.json (Mistral's announcement: 46.7B, 12.9B per token)",
        model: decoder(name: "Mixtral-8x7B-v0.1", vocab: 32_000, dim: 4096, layers: 32, heads: 32, kvHeads: 8,
                       experts: (8, 2, 14_336)))

    public static let qwen3_30b_a3b = Preset(
        id: "qwen3-30b-a3b", summary: "Qwen3 30B-A3B: 128 experts, 8 per token",
        reference: "30,532,122,624: transformers.Qwen3MoeForCausalLM on Qwen/Qwen3-30B-A3B's config.json",
        model: decoder(name: "Qwen3-30B-A3B", vocab: 151_936, dim: 2048, layers: 48, heads: 32, kvHeads: 4, headDim: 128,
                       qkNorm: true, experts: (128, 8, 768)))

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
