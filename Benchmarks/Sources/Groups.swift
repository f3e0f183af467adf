import ParamCountCore

/// A model of `leaves` layers that hold no others, `outer` groups of `inner` groups of the rest,
/// cycling through the kinds of `generatedModel`. Every list has storage of its own, as a model
/// read from a file has: nothing is counted once for several places.
func nestedModel(leaves: Int, outer: Int, inner: Int) -> Model {
    let cycle = Array(generatedModel(17).layers.dropFirst())
    let perInner = leaves / (outer * inner)
    var k = 0
    var groups: [Layer] = []
    for o in 0..<outer {
        var inners: [Layer] = []
        for i in 0..<inner {
            var body: [Layer] = []
            body.reserveCapacity(perInner)
            for _ in 0..<perInner { body.append(cycle[k % cycle.count]); k += 1 }
            inners.append(.group(name: "block \(o).\(i)", repeat: 1 + i % 3, body))
        }
        groups.append(.group(name: "stage \(o)", repeat: 2, inners))
    }
    return Model(name: "nested \(leaves)", convention: .pytorch,
                 layers: [Layer(.embedding, [(.vocab, .int(32_000)), (.dim, .int(512))])] + groups)
}

/// Groups: a million layers inside groups inside groups, and an edit inside a Llama-70B-sized group.
func groupBenchmarks() {
    let model = nestedModel(leaves: 1_000_000, outer: 100, inner: 100)
    var best = UInt64.max
    for _ in 0..<5 {
        let t0 = now()
        let c = try! Counter.count(model)
        best = min(best, now() - t0)
        precondition(c.layers.count == 101 && c.layers[1].children[0].count == 100)
    }
    report("groups: count 1,000,000 layers in 100 × 100 nested groups", Double(best) / 1e6, "ms", budget: 100)

    // Llama-2-70B's shape (8,192 wide, 80 blocks, 64 heads, 8 key/value heads): repeat 80 → 81, and
    // one block's attention width changed, each recounted from the previous count.
    let block: [Layer] = [
        Layer(.rmsnorm, name: "input_layernorm"),
        Layer(.attention, name: "self_attn", [(.heads, .int(64)), (.kvHeads, .int(8)), (.bias, .bool(false))]),
        Layer(.rmsnorm, name: "post_attention_layernorm"),
        Layer(.mlp, name: "mlp", [(.ff, .int(28_672)), (.gated, .bool(true)), (.bias, .bool(false))]),
    ]
    let llama = Model(name: "70B-sized", convention: .pytorch, layers: [
        Layer(.embedding, name: "embed_tokens", [(.vocab, .int(32_000)), (.dim, .int(8_192))]),
        .group(name: "layers", repeat: 80, block),
        Layer(.rmsnorm, name: "norm"),
        Layer(.dense, name: "lm_head", [(.out, .int(32_000)), (.bias, .bool(false))]),
    ])
    let counted = try! Counter.count(llama)
    var edited = llama
    edited.layers[1].fields[.repeat] = .int(81)
    var attention = llama
    attention.replace(at: LayerPath([.layer(1), .layer(1)]), with: Layer(.attention, name: "self_attn", [(.heads, .int(32))]))
    var samples: [Double] = []
    for k in 0..<2_000 {
        let t0 = now()
        let c = try! Counter.recount(k % 2 == 0 ? edited : attention, replacing: 1, old: llama.layers[1], previous: counted)
        samples.append(Double(now() - t0) / 1e6)
        precondition(c.total > counted.total)
    }
    report("groups: recount after an edit inside a 70B-sized group, p99", percentile(samples, 0.99), "ms", budget: 1)
}
