import ParamCountCore
import Testing

// Every expected number below is worked out from the framework's own definition of the module's
// weights (named in each test), not from running paramcount.

@Suite("dense")
struct DenseTests {
    // torch.nn.Linear(784, 256): weight 256×784 + bias 256.
    @Test func linear() throws {
        #expect(try count(dense(784, 256), .pytorch) == (200_960, 200_960, 0))
    }
    // torch.nn.Linear(10, 3, bias=False): weight only.
    @Test func linearWithoutBias() throws {
        #expect(try count(dense(10, 3, bias: false), .pytorch).0 == 30)
    }
    // keras.layers.Dense(33) on 196 features: kernel 196×33 + bias 33.
    @Test func kerasDense() throws {
        #expect(try count(dense(196, 33), .keras).0 == 6_501)
    }
    // By hand: i·o + o.
    @Test func textbook() throws {
        #expect(try count(dense(4096, 1000), .textbook).0 == 4_097_000)
    }
}

@Suite("recurrent")
struct RecurrentTests {
    // torch.nn.RNN(10, 20): weight_ih 20×10, weight_hh 20×20, bias_ih 20, bias_hh 20.
    @Test func torchRNN() throws { #expect(try count(recurrent(.rnn, 10, 20), .pytorch).0 == 640) }
    // torch.nn.GRU(10, 20): three gates of the above.
    @Test func torchGRU() throws { #expect(try count(recurrent(.gru, 10, 20), .pytorch).0 == 1_920) }
    // torch.nn.LSTM(10, 20, num_layers=2, bidirectional=True): layer 0 per direction 4·(200+400+40),
    // layer 1 takes 40 inputs: 4·(800+400+40) per direction.
    @Test func torchStackedBidirectionalLSTM() throws {
        #expect(try count(recurrent(.lstm, 10, 20, layers: 2, bi: true), .pytorch).0 == 2 * 2_560 + 2 * 4_960)
    }
    // torch.nn.LSTM(10, 20, bias=False): 4·(200+400).
    @Test func torchLSTMWithoutBias() throws {
        #expect(try count(recurrent(.lstm, 10, 20, bias: false), .pytorch).0 == 2_400)
    }
    // keras.layers.SimpleRNN(20) on 10 features: kernel 10×20, recurrent kernel 20×20, bias 20.
    @Test func kerasSimpleRNN() throws { #expect(try count(recurrent(.rnn, 10, 20), .keras).0 == 620) }
    // keras.layers.LSTM(20): kernel 10×80, recurrent 20×80, bias 80.
    @Test func kerasLSTM() throws { #expect(try count(recurrent(.lstm, 10, 20), .keras).0 == 2_480) }
    // keras.layers.GRU(20), reset_after=True: kernel 10×60, recurrent 20×60, bias 2×60.
    @Test func kerasGRU() throws { #expect(try count(recurrent(.gru, 10, 20), .keras).0 == 1_920) }
    // keras.layers.GRU(20, use_bias=False).
    @Test func kerasGRUWithoutBias() throws { #expect(try count(recurrent(.gru, 10, 20, bias: false), .keras).0 == 1_800) }
    // keras.layers.Bidirectional(LSTM(20)): two LSTMs.
    @Test func kerasBidirectional() throws {
        #expect(try count(recurrent(.lstm, 10, 20, bi: true), .keras).0 == 4_960)
    }
    // By hand: 4·[(h+i)·h + h] with i = 128, h = 256.
    @Test func textbookLSTM() throws { #expect(try count(recurrent(.lstm, 128, 256), .textbook).0 == 394_240) }
    @Test func textbookGRUAndRNN() throws {
        #expect(try count(recurrent(.gru, 128, 256), .textbook).0 == 3 * ((256 + 128) * 256 + 256))
        #expect(try count(recurrent(.rnn, 50, 100), .textbook).0 == (100 + 50) * 100 + 100)
    }
    @Test func outputWidthDoublesWhenBidirectional() throws {
        let c = try Counter.count(Model(layers: [recurrent(.lstm, 8, 16, bi: true), dense(nil, 4)]))
        #expect(c.layers[1].input == 32)
    }
}

@Suite("conv")
struct ConvTests {
    func conv(_ i: Int, _ o: Int, _ k: FieldValue, dims: Int? = nil, groups: Int = 1, bias: Bool = true,
              transposed: Bool = false) -> Layer {
        var f: [(Field, FieldValue)] = [(.in, .int(i)), (.out, .int(o)), (.kernel, k), (.groups, .int(groups)),
                                        (.bias, .bool(bias)), (.transposed, .bool(transposed))]
        if let dims { f.append((.dims, .int(dims))) }
        return Layer(.conv, f)
    }
    // torch.nn.Conv2d(3, 64, 3): weight 64×3×3×3 + bias 64.
    @Test func conv2d() throws { #expect(try count(conv(3, 64, .int(3)), .pytorch).0 == 1_792) }
    // torch.nn.Conv2d(32, 64, 3, groups=4, bias=False): weight 64×8×3×3.
    @Test func grouped() throws { #expect(try count(conv(32, 64, .int(3), groups: 4, bias: false), .pytorch).0 == 4_608) }
    // torch.nn.Conv1d(16, 32, 7): weight 32×16×7 + 32.
    @Test func conv1d() throws { #expect(try count(conv(16, 32, .ints([7])), .pytorch).0 == 3_616) }
    // torch.nn.Conv3d(1, 16, 3): weight 16×1×27 + 16.
    @Test func conv3d() throws { #expect(try count(conv(1, 16, .int(3), dims: 3), .pytorch).0 == 448) }
    // torch.nn.ConvTranspose2d(16, 8, 3, groups=2): weight 16×4×3×3 + bias 8.
    @Test func transposed() throws {
        #expect(try count(conv(16, 8, .int(3), groups: 2, transposed: true), .pytorch).0 == 584)
    }
    // keras.layers.Conv2D(6, (3, 5)) on 4 channels: kernel 3×5×4×6 + 6.
    @Test func rectangularKernel() throws { #expect(try count(conv(4, 6, .ints([3, 5])), .keras).0 == 366) }
    // By hand: ((f·f·i) + 1)·o.
    @Test func textbook() throws { #expect(try count(conv(64, 128, .int(5)), .textbook).0 == (5 * 5 * 64 + 1) * 128) }
}

@Suite("attention and norms")
struct AttentionTests {
    func attention(_ dim: Int, heads: Int, kv: Int? = nil, headDim: Int? = nil, bias: Bool = true) -> Layer {
        var f: [(Field, FieldValue)] = [(.dim, .int(dim)), (.heads, .int(heads)), (.bias, .bool(bias))]
        if let kv { f.append((.kvHeads, .int(kv))) }
        if let headDim { f.append((.headDim, .int(headDim))) }
        return Layer(.attention, f)
    }
    // torch.nn.MultiheadAttention(512, 8): in_proj 3·512² + 3·512, out_proj 512² + 512.
    @Test func multihead() throws {
        for convention in Convention.allCases {
            #expect(try count(attention(512, heads: 8), convention).0 == 1_050_624)
        }
    }
    @Test func multiheadWithoutBias() throws { #expect(try count(attention(512, heads: 8, bias: false), .pytorch).0 == 1_048_576) }
    // Llama-2-7B attention (LlamaAttention, hidden 4096, 32 heads, 8 KV heads as in Llama-2-70B's
    // ratio, head_dim 128, no bias): q 4096×4096, k and v 4096×1024 each, o 4096×4096.
    @Test func groupedQueryAttention() throws {
        #expect(try count(attention(4096, heads: 32, kv: 8, bias: false), .pytorch).0 == 2 * 16_777_216 + 2 * 4_194_304)
    }
    // keras.layers.MultiHeadAttention(num_heads=8, key_dim=2) on width 16: q, k, v 16×16 + 16 each,
    // output 16×16 + 16.
    @Test func kerasKeyDim() throws { #expect(try count(attention(16, heads: 8, headDim: 2), .keras).0 == 1_088) }

    // torch.nn.LayerNorm(768): weight and bias; bias=False keeps the weight.
    @Test func layerNorm() throws {
        #expect(try count(Layer(.layernorm, [(.dim, .int(768))]), .pytorch).0 == 1_536)
        #expect(try count(Layer(.layernorm, [(.dim, .int(768)), (.bias, .bool(false))]), .pytorch).0 == 768)
    }
    // torch.nn.RMSNorm(4096): weight only.
    @Test func rmsNorm() throws { #expect(try count(Layer(.rmsnorm, [(.dim, .int(4096))]), .pytorch).0 == 4_096) }
    // torch.nn.BatchNorm2d(64): weight and bias are parameters; running stats are buffers.
    @Test func batchNormTorch() throws {
        #expect(try count(Layer(.batchnorm, [(.features, .int(64))]), .pytorch) == (128, 128, 0))
    }
    // keras.layers.BatchNormalization on 64 channels: gamma, beta trainable; moving mean and
    // variance non-trainable; all four non-trainable when the layer is frozen.
    @Test func batchNormKeras() throws {
        #expect(try count(Layer(.batchnorm, [(.features, .int(64))]), .keras) == (256, 128, 128))
        #expect(try count(Layer(.batchnorm, trainable: false, [(.features, .int(64))]), .keras) == (256, 0, 256))
    }
    @Test func batchNormTextbook() throws {
        #expect(try count(Layer(.batchnorm, [(.features, .int(64))]), .textbook) == (128, 128, 0))
    }
    // torch.nn.Embedding(30522, 768), BERT's word embeddings.
    @Test func embedding() throws {
        #expect(try count(Layer(.embedding, [(.vocab, .int(30_522)), (.dim, .int(768))]), .keras).0 == 23_440_896)
    }
    @Test func custom() throws {
        #expect(try count(Layer(.custom, trainable: false, [(.params, .int(12_345))]), .textbook) == (12_345, 0, 12_345))
    }
}

@Suite("transformer stacks")
struct TransformerTests {
    func block(_ kind: LayerKind, _ dim: Int, layers: Int = 1, heads: Int = 8, ff: Int? = nil, bias: Bool = true,
               finalNorm: Bool = false) -> Layer {
        var f: [(Field, FieldValue)] = [(.dim, .int(dim)), (.layers, .int(layers)), (.heads, .int(heads)),
                                        (.bias, .bool(bias)), (.finalNorm, .bool(finalNorm))]
        if let ff { f.append((.ff, .int(ff))) }
        return Layer(kind, f)
    }
    // torch.nn.TransformerEncoderLayer(768, 12): dim_feedforward defaults to 2048.
    @Test func torchEncoderDefaultFF() throws {
        #expect(try count(block(.encoder, 768, heads: 12), .pytorch).0 == 5_513_984)
    }
    // torch.nn.TransformerDecoderLayer(512, 8): self- and cross-attention, FFN 2048, three norms.
    @Test func torchDecoderLayer() throws {
        #expect(try count(block(.decoder, 512), .pytorch).0 == 2 * 1_050_624 + 2_099_712 + 3 * 1_024)
    }
    // torch.nn.TransformerEncoderLayer(216, 8, dim_feedforward=2, bias=False): no bias anywhere,
    // layer norms without β.
    @Test func torchEncoderWithoutBias() throws {
        #expect(try count(block(.encoder, 216, ff: 2, bias: false), .pytorch).0 == 4 * 216 * 216 + 2 * 216 * 2 + 2 * 216)
    }
    // keras_hub.layers.TransformerEncoder(intermediate_dim=3072, num_heads=12) on width 768.
    @Test func kerasEncoder() throws {
        #expect(try count(block(.encoder, 768, heads: 12, ff: 3072), .keras).0 == 7_087_872)
    }
    // Without ff the Keras-style block uses 4x.
    @Test func kerasDefaultFF() throws {
        #expect(try count(block(.encoder, 768, heads: 12), .keras).0 == 7_087_872)
    }
    // By hand: an encoder stack is m·(5x² + 9x), a decoder stack n·(9x² + 15x).
    @Test func textbookStacks() throws {
        #expect(try count(block(.encoder, 512, layers: 6), .textbook).0 == 6 * (5 * 512 * 512 + 9 * 512))
        #expect(try count(block(.decoder, 512, layers: 6), .textbook).0 == 6 * (9 * 512 * 512 + 15 * 512))
    }
    // torch.nn.TransformerEncoder(..., norm=LayerNorm(32)) adds one final norm.
    @Test func finalNorm() throws {
        let without = try count(block(.encoder, 32, layers: 2, ff: 458), .pytorch).0
        #expect(try count(block(.encoder, 32, layers: 2, ff: 458, finalNorm: true), .pytorch).0 == without + 64)
    }
}
