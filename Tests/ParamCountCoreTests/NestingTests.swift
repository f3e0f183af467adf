import Foundation
import ParamCountCore
import Testing

// Counts below are torch.nn's: Linear(i, o) = i·o + o (i·o without bias), LayerNorm(d) = 2d,
// RMSNorm(d) = d, named beside each expectation. Whole models built from torchvision's and torch's
// own blocks are checked in ParamCountFilesTests (Fixtures/reference/groups, wave2).

func layerNorm() -> Layer { Layer(.layernorm) }

@Suite("groups")
struct GroupTests {
    @Test func widthsChainThroughTheGroupAndItsRepetitions() throws {
        // Linear(4, 8), then 3 × [Linear(8, 8), LayerNorm(8)], then Linear(8, 2).
        let model = Model(convention: .pytorch, layers: [
            dense(4, 8), .group(name: "blocks", repeat: 3, [dense(nil, 8), layerNorm()]), dense(nil, 2),
        ])
        let c = try Counter.count(model)
        #expect(c.total == 40 + 3 * (72 + 16) + 18)
        #expect(c.layers.count == 3)
        let g = c.layers[1]
        #expect(g.total == 3 * 88 && g.repeat == 3 && g.received == 8 && g.output == 8)
        #expect(g.children.count == 1 && g.children[0].map(\.total) == [72, 16])
        #expect(g.children[0][0].received == 8 && g.children[0][1].received == 8)
        #expect(c.layers[2].received == 8)
        #expect(c.total(of: .ffn) == 40 + 3 * 72 + 18 && c.total(of: .norm) == 48)
    }

    /// The first repetition reads what comes before the group; later ones read the group's own output.
    @Test func theFirstRepetitionCanCountDifferently() throws {
        // Linear(5, 8); Linear(8, 26) + RMSNorm(26); then 4 × [Linear(26, 26) + RMSNorm(26)].
        let model = Model(convention: .pytorch, layers: [dense(5, 8), .group(repeat: 5, [dense(nil, 26), Layer(.rmsnorm)])])
        let c = try Counter.count(model)
        #expect(c.total == 48 + (234 + 26) + 4 * (702 + 26))
        // The children are the first repetition's.
        #expect(c.layers[1].children[0].map(\.total) == [234, 26])
    }

    @Test func aBillionRepetitionsCountAtOnce() throws {
        let n = 1_000_000_000
        let model = Model(convention: .pytorch, layers: [dense(4, 4), .group(repeat: n, [dense(nil, 4), layerNorm()])])
        let start = ContinuousClock.now
        let c = try Counter.count(model)
        #expect(ContinuousClock.now - start < .milliseconds(100))
        // Linear(4, 4) = 20, LayerNorm(4) = 8.
        #expect(c.total == 20 + n * 28)
    }

    @Test func overflowingRepetitionsAreALocatedError() {
        let model = Model(layers: [Layer(.embedding, [(.vocab, .int(1 << 20)), (.dim, .int(1 << 20))]),
                                   .group(name: "huge", repeat: 1 << 30, [dense(nil, 1 << 20)])])
        let e = modelError { _ = try Counter.count(model) }
        #expect(e?.layer == 1 && e?.field == "repeat" && e?.layerName == "huge")
        #expect(e?.message.contains("64 bits") == true)
    }

    @Test func emptyGroupIsAnError() {
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 4), .group(name: "g", [])])) }
        #expect(e?.layer == 1 && e?.field == "layers" && e?.message.contains("at least one layer") == true)
    }

    @Test func repeatMustBePositive() {
        let g = Layer(.group, [(.repeat, .int(0))], body: [dense(nil, 4)])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 4), g])) }
        #expect(e?.field == "repeat" && e?.message.contains("positive") == true)
    }

    @Test func trainableFalseFreezesEverythingInside() throws {
        let model = Model(convention: .pytorch, layers: [
            dense(8, 16), .group(name: "backbone", repeat: 2, trainable: false, [dense(nil, 16), layerNorm()]), dense(nil, 4),
        ])
        let c = try Counter.count(model)
        // 2 × (Linear(16, 16) + LayerNorm(16)) frozen; Linear(8, 16) and Linear(16, 4) train.
        #expect(c.nonTrainable == 2 * (272 + 32) && c.trainable == 144 + 68)
        #expect(c.layers[1].children[0].allSatisfy { $0.trainable == 0 && $0.nonTrainable > 0 })
    }

    @Test func anErrorInsideIsLocatedByItsPath() {
        let model = Model(layers: [
            Layer(.embedding, [(.vocab, .int(100)), (.dim, .int(12))]),
            .group(name: "layers", repeat: 2, [Layer(.rmsnorm), Layer(.attention, name: "attn", [(.heads, .int(5))])]),
        ])
        let e = modelError { _ = try Counter.count(model) }
        #expect(e?.layer == 1 && e?.path?.description == "layers[1]/layers[1]" && e?.layerName == "attn" && e?.field == "heads")
        #expect(e?.description == "layers[1]/layers[1] (\"attn\"), field 'heads': 5 heads do not divide dim 12: choose a divisor or give head_dim")
    }

    /// Repetition 2 reads another width than repetition 1, and only it is wrong.
    @Test func anErrorInALaterRepetitionSaysWhichOne() {
        let model = Model(layers: [dense(4, 8), .group(repeat: 3, [Layer(.attention, [(.heads, .int(4))]), dense(nil, 6)])])
        let e = modelError { _ = try Counter.count(model) }
        #expect(e?.path?.description == "layers[1]/layers[0]" && e?.field == "heads")
        #expect(e?.message.contains("in repetition 2 of 3, which reads a width of 6") == true, "\(e?.message ?? "")")
    }

    @Test func widthsThatKeepChangingAreCountedUntilTheySettle() throws {
        // Each repetition joins its input with one new feature: Linear(w, 1) on widths 4, 5, 6, 7, 8.
        let grow = Layer.parallel(concat: true, [[], [dense(nil, 1)]])
        let c = try Counter.count(Model(convention: .pytorch, layers: [dense(2, 4), .group(repeat: 5, [grow]), dense(nil, 3)]))
        #expect(c.layers[1].total == 5 + 6 + 7 + 8 + 9)
        #expect(c.layers[2].received == 9 && c.layers[2].total == 9 * 3 + 3)
    }

    @Test func widthsThatNeverSettleAreALocatedError() {
        let grow = Layer.parallel(concat: true, [[], [dense(nil, 1)]])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(2, 4), .group(name: "grows", repeat: 5_000, [grow])])) }
        #expect(e?.layer == 1 && e?.field == "repeat" && e?.message.contains("settles within 1,000 repetitions") == true,
                "\(e?.message ?? "")")
    }

    /// Groups inside repeated groups whose widths change in every repetition: each level doubles the
    /// widths to count. The walk stops with an error instead of running for ever.
    @Test func combinatorialWidthsEndInAnError() {
        var inner = Layer.group(repeat: 2, [.parallel(concat: true, [[], [dense(nil, 1, bias: false)]])])
        for _ in 0..<40 { inner = .group(repeat: 2, [inner]) }
        let start = ContinuousClock.now
        let e = modelError { _ = try Counter.count(Model(layers: [dense(2, 4), inner])) }
        #expect(e?.layer == 1)
        #expect(e?.message.contains("more than 1,000 different input widths") == true, "\(e?.message ?? "")")
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}

@Suite("parallel")
struct ParallelTests {
    @Test func addSumsTheBranches() throws {
        // A residual block: Linear(16, 16) + LayerNorm(16) beside the identity.
        let block = Layer.parallel(name: "res", [[dense(nil, 16), layerNorm()], []])
        let c = try Counter.count(Model(convention: .pytorch, layers: [dense(4, 16), block, dense(nil, 2)]))
        #expect(c.layers[1].total == 272 + 32 && c.layers[1].output == 16)
        #expect(c.layers[1].children.map { $0.map(\.total) } == [[272, 32], []])
        #expect(c.layers[2].received == 16)
    }

    @Test func concatAddsTheWidths() throws {
        let block = Layer.parallel(concat: true, [[dense(nil, 3)], [dense(nil, 5)], []])
        let c = try Counter.count(Model(convention: .pytorch, layers: [dense(2, 4), block, dense(nil, 1)]))
        // Linear(4, 3) + Linear(4, 5); the next layer reads 3 + 5 + 4 = 12: Linear(12, 1).
        #expect(c.layers[1].total == 15 + 25 && c.layers[1].output == 12 && c.total == 12 + 40 + 13)
    }

    @Test func addWithUnequalWidthsNamesTheBranches() {
        let block = Layer.parallel(name: "res", [[dense(nil, 16)], [dense(nil, 8)]])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 16), block])) }
        #expect(e?.layer == 1 && e?.field == "merge")
        #expect(e?.message.contains("branch 0 ends at 16, branch 1 at 8") == true, "\(e?.message ?? "")")
    }

    @Test func unknownMergeListsTheAllowedValues() {
        let block = Layer(.parallel, [(.merge, .option("sum"))], branches: [[]])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 16), block])) }
        #expect(e?.field == "merge" && e?.message.contains("one of add, concat") == true)
    }

    @Test func noBranchesIsAnError() {
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 16), Layer(.parallel)])) }
        #expect(e?.field == "branches" && e?.message.contains("at least one branch") == true)
    }

    @Test func errorsInsideBranchesHaveTheirPath() {
        let block = Layer.parallel([[], [layerNorm(), Layer(.attention, name: "a", [(.heads, .int(3))])]])
        let e = modelError { _ = try Counter.count(Model(layers: [dense(4, 16), .group([dense(nil, 16), block])])) }
        #expect(e?.path == LayerPath([.layer(1), .layer(1), .branch(1, 1)]))
        #expect(e?.description.hasPrefix("layers[1]/layers[1]/branches[1][1] (\"a\"), field 'heads'") == true)
    }

    @Test func joiningABranchWithoutAWidthIsAnError() {
        // At the top of a model an identity branch has nothing to pass on.
        let e = modelError { _ = try Counter.count(Model(layers: [.parallel(concat: true, [[dense(4, 2)], []])])) }
        #expect(e?.field == "merge" && e?.message.contains("branch 1") == true)
    }
}

@Suite("nesting limits")
struct NestingLimitTests {
    static func nested(_ levels: Int) -> Layer {
        var layer = dense(nil, 4)
        for i in 0..<levels { layer = i % 2 == 0 ? .group([layer]) : .parallel([[layer], []]) }
        return layer
    }

    @Test func sixtyFourLevelsCount() throws {
        let c = try Counter.count(Model(layers: [dense(2, 4), Self.nested(64)]))
        #expect(c.total == 12 + 20)
    }

    @Test func sixtyFiveLevelsAreALocatedError() {
        let e = modelError { _ = try Counter.count(Model(layers: [dense(2, 4), Self.nested(65)])) }
        #expect(e?.message.contains("nest at most 64 levels") == true)
        #expect(e?.path?.steps.count == 65)
    }

    /// Built in code, so no reader limits it: the counter must not recurse 10,000 levels.
    @Test func tenThousandLevelsAreAnErrorNotACrash() {
        let e = modelError { _ = try Counter.count(Model(layers: [dense(2, 4), Self.nested(10_000)])) }
        #expect(e?.message.contains("nest at most 64 levels") == true)
        let r = Result { () throws(LayerError) in try Self.nested(10_000).resolve(previousOutput: 4) }
        if case .failure(let error) = r { #expect(error.message.contains("nest at most 64 levels")) } else { Issue.record("resolved") }
    }
}

@Suite("recount inside groups")
struct NestedRecountTests {
    static let llamaLike = Model(convention: .pytorch, layers: [
        Layer(.embedding, name: "embed_tokens", [(.vocab, .int(1000)), (.dim, .int(64))]),
        .group(name: "layers", repeat: 32, [
            Layer(.rmsnorm, name: "input_layernorm"),
            Layer(.attention, name: "self_attn", [(.heads, .int(8)), (.kvHeads, .int(2)), (.bias, .bool(false))]),
            Layer(.rmsnorm, name: "post_attention_layernorm"),
            .parallel(name: "mlp", [[dense(nil, 256, bias: false), dense(nil, 64, bias: false)], []]),
        ]),
        Layer(.rmsnorm, name: "norm"),
        dense(nil, 1000, bias: false),
    ])

    @Test(arguments: [
        LayerPath([.layer(1)]), LayerPath([.layer(1), .layer(1)]), LayerPath([.layer(1), .layer(3), .branch(0, 0)]),
    ])
    func anEditAnywhereInsideATopLevelLayerRecountsRight(_ path: LayerPath) throws {
        let model = Self.llamaLike
        let before = try Counter.count(model)
        var edited = model
        var layer = model.layer(at: path)!
        switch layer.kind {
        case .group: layer.fields[.repeat] = .int(40)
        case .attention: layer.fields[.heads] = .int(16)
        default: layer.fields[.out] = .int(512)
        }
        edited.replace(at: path, with: layer)
        let index = path.topIndex!
        let recounted = try Counter.recount(edited, replacing: index, old: model.layers[index], previous: before)
        #expect(recounted == (try Counter.count(edited)))
        #expect(recounted.total != before.total)
    }

    @Test func aWidthChangeInsideFlowsOn() throws {
        // The group ends at a new width, so the layers below it are counted again.
        let model = Model(convention: .pytorch, layers: [dense(4, 8), .group(repeat: 2, [dense(nil, 8)]), dense(nil, 3)])
        let before = try Counter.count(model)
        var edited = model
        edited.replace(at: LayerPath([.layer(1), .layer(0)]), with: dense(nil, 6))
        let recounted = try Counter.recount(edited, replacing: 1, old: model.layers[1], previous: before)
        #expect(recounted == (try Counter.count(edited)))
        #expect(recounted.layers[2].received == 6)
    }
}

@Suite("layer paths")
struct LayerPathTests {
    static let model = Model(layers: [
        dense(4, 8),
        .group(name: "blocks", repeat: 2, [Layer(.layernorm, name: "ln"), .parallel(name: "res", [[dense(nil, 8), dense(nil, 8)], []])]),
        dense(nil, 2),
    ])

    @Test func displayAndOrder() {
        let p = LayerPath([.layer(1), .layer(1), .branch(0, 1)])
        #expect(p.description == "layers[1]/layers[1]/branches[0][1]")
        #expect(p.topIndex == 1 && p.depth == 2 && p.parent == LayerPath([.layer(1), .layer(1)]))
        var paths: [LayerPath] = []
        Self.model.forEachLayer { path, _ in paths.append(path) }
        #expect(paths.count == 7)
        #expect(paths == paths.sorted(), "document order is the paths' order")
        #expect(paths.map { Self.model.layer(at: $0) != nil }.allSatisfy { $0 })
    }

    @Test func navigationAndEdits() {
        var m = Self.model
        #expect(m.layer(at: LayerPath([.layer(1), .layer(0)]))?.name == "ln")
        #expect(m.layer(at: LayerPath([.layer(1), .layer(1), .branch(0, 1)]))?.kind == .dense)
        #expect(m.layer(at: LayerPath([.layer(1), .layer(1), .branch(1, 0)])) == nil)
        #expect(m.layer(at: LayerPath([.layer(0), .layer(0)])) == nil)
        #expect(m.layer(at: LayerPath([.branch(0, 0)])) == nil)

        m.insert(Layer(.rmsnorm, name: "extra"), at: LayerPath([.layer(1), .layer(1), .branch(1, 0)]))
        #expect(m.layer(at: LayerPath([.layer(1), .layer(1), .branch(1, 0)]))?.name == "extra")
        let removed = m.remove(at: LayerPath([.layer(1), .layer(0)]))
        #expect(removed.name == "ln")
        #expect(m.layers[1].body.count == 1 && m.layers[1].body[0].name == "res")
        m.replace(at: LayerPath([.layer(1), .layer(0), .branch(0, 0)]), with: dense(nil, 8, bias: false))
        #expect(m.layers[1].body[0].branches[0][0].fields[.bias] == .bool(false))
        // Everything outside the edited paths is untouched.
        #expect(m.layers[0] == Self.model.layers[0] && m.layers[2] == Self.model.layers[2])
    }

    @Test func namePathsLineUpModelsBlockByBlock() {
        #expect(Self.model.namePath(at: LayerPath([.layer(1), .layer(1), .branch(0, 1)])) == "blocks/res/0/dense#2")
        #expect(Self.model.namePath(at: .top(2)) == "dense#2")
        let all = Self.model.namePaths()
        #expect(all.map(\.name) == ["dense", "blocks", "blocks/ln", "blocks/res", "blocks/res/0/dense", "blocks/res/0/dense#2",
                                    "dense#2"])
        #expect(all.allSatisfy { Self.model.namePath(at: $0.path) == $0.name })
    }

    @Test func countsAreFoundByPath() throws {
        let c = try Counter.count(Self.model)
        let inner = c.layerCount(at: LayerPath([.layer(1), .layer(1), .branch(0, 1)]))
        #expect(inner?.received == 8 && inner?.total == 72)
        #expect(c.layerCount(at: LayerPath([.layer(1), .layer(1), .branch(1, 0)])) == nil)
    }
}

@Suite("group and parallel derivations")
struct NestedDerivationTests {
    @Test func aGroupIsNTimesOneBlock() throws {
        let g = Layer.group(name: "layers", repeat: 32, [Layer(.rmsnorm, name: "input_layernorm"), dense(nil, 64, bias: false)])
        let d = try Counter.derivation(of: g, previousOutput: 64, convention: .pytorch)
        // RMSNorm(64) = 64, Linear(64, 64, bias=False) = 4,096.
        #expect(d.lines == ["n × (input_layernorm + dense) = 32 × (64 + 4,096) = 133,120"])
        #expect(d.total == 133_120 && d.steps.contains("n = 32  (repetitions)"))
        #expect(d.steps.contains("input_layernorm = 64  (rmsnorm, 64)"))
    }

    @Test func repetitionsThatCountDifferentlyArePartsOfTheirOwn() throws {
        let g = Layer.group(repeat: 5, [dense(nil, 26), Layer(.rmsnorm)])
        let d = try Counter.derivation(of: g, previousOutput: 8, convention: .pytorch)
        #expect(d.parts.map(\.label) == ["repetition 1", "repetitions 2–5"])
        #expect(d.parts.map(\.value) == [260, 4 * 728] && d.total == 260 + 4 * 728)
        #expect(d.lines[1] == "repetitions 2–5: 4 × (dense₂ + rmsnorm₂) = 4 × (702 + 26) = 2,912")
        #expect(d.notes.contains { $0.contains("repetition 1 reads 8, repetition 2 reads 26") })
    }

    @Test func aParallelIsTheSumOfItsBranches() throws {
        let p = Layer.parallel(name: "res", [[dense(nil, 16, bias: false), layerNorm()], []])
        let d = try Counter.derivation(of: p, previousOutput: 16, convention: .pytorch)
        #expect(d.parts.map(\.label) == ["branch 0", "branch 1 (passes its input on)"])
        #expect(d.total == 256 + 32)
        #expect(d.lines.last == "total = 288 + 0 = 288")
        #expect(d.notes.contains("The branches end at 16 and 16 wide; the sum keeps that width."))
    }

    @Test func aLayerInsideAFrozenGroupIsDerivedFrozen() throws {
        let model = Model(convention: .pytorch, layers: [dense(4, 8), .group(trainable: false, [dense(nil, 8)])])
        let d = try Counter.derivation(model, at: LayerPath([.layer(1), .layer(0)]))
        #expect(d.total == 72 && d.nonTrainable == 72 && d.trainable == 0)
    }
}

@Suite("planner through groups")
struct NestedPlanTests {
    /// The Llama of PlanTests written with a group repeated per layer: the planner reads the layers
    /// inside, each as many times as the group repeats, so every figure equals the flat model's.
    @Test(arguments: [PlanSettings(weights: .fp16), PlanSettings(mode: .training, optimizer: .adamw, loraRank: 8, loraTargets: .all)])
    func aGroupPlansAsItsLayersWrittenOut(_ settings: PlanSettings) throws {
        let flat = tinyLlama
        let block = Array(flat.layers[1...6])
        var grouped = flat
        grouped.layers = [flat.layers[0], .group(name: "layers", repeat: 2, block)] + flat.layers.suffix(2)
        #expect(try Counter.count(grouped).total == Counter.count(flat).total)
        let a = try plan(flat, settings), b = try plan(grouped, settings)
        #expect(a.memory == b.memory && a.compute == b.compute && a.adapters == b.adapters && a.activations == b.activations)
    }
}

/// A group counts as its layers written out one repetition after another: the written-out models'
/// own counts are checked against transformers and torch in NewKindTests and the reference cases.
@Suite("groups equal their layers written out")
struct WrittenOutTests {
    static func writtenOut(_ layers: [Layer]) -> [Layer] {
        layers.flatMap { layer -> [Layer] in
            guard layer.kind == .group else { return [layer] }
            let n = { if case .int(let n)? = layer.fields[.repeat] { return n } else { return 1 } }()
            return Array(repeating: writtenOut(layer.body), count: n).flatMap { $0 }
        }
    }

    static let moe = Layer(.moe, name: "mlp", [(.experts, .int(8)), (.topK, .int(2)), (.ff, .int(56))])
    static let block: [Layer] = [
        Layer(.rmsnorm, name: "input_layernorm"),
        Layer(.attention, name: "self_attn", [(.heads, .int(4)), (.kvHeads, .int(2)), (.bias, .bool(false))]),
        Layer(.rmsnorm, name: "post_attention_layernorm"),
    ]

    static let models: [(String, [Layer])] = [
        ("mixtral-like, tied head after the group", [
            Layer(.embedding, name: "embed_tokens", [(.vocab, .int(300)), (.dim, .int(32))]),
            .group(name: "layers", repeat: 3, block + [moe]),
            Layer(.rmsnorm, name: "norm"),
            Layer(.dense, name: "lm_head", [(.out, .int(300)), (.bias, .bool(false)), (.tied, .bool(true))]),
        ]),
        ("dense layers first, then experts (DeepSeek's layout)", [
            Layer(.embedding, [(.vocab, .int(300)), (.dim, .int(32))]),
            .group(name: "layers.0-1", repeat: 2, block + [Layer(.mlp, [(.ff, .int(64)), (.gated, .bool(true)), (.bias, .bool(false))])]),
            .group(name: "layers.2-5", repeat: 4, block + [moe]),
            Layer(.dense, [(.out, .int(300)), (.bias, .bool(false))]),
        ]),
        ("a tied head inside a group, its embedding inside too", [
            Layer(.dense, [(.in, .int(6)), (.out, .int(6))]),
            .group(repeat: 2, [.group(repeat: 3, [Layer(.embedding, [(.vocab, .int(20)), (.dim, .int(6))]),
                                                  Layer(.dense, [(.out, .int(20)), (.tied, .bool(true))]),
                                                  Layer(.dense, [(.out, .int(6))])]),
                               Layer(.layernorm, trainable: false)]),
        ]),
    ]

    @Test(arguments: models.map(\.0))
    func countsAsWrittenOut(_ name: String) throws {
        let layers = Self.models.first { $0.0 == name }!.1
        for convention in Convention.allCases {
            let grouped = try Counter.count(Model(convention: convention, layers: layers))
            let flat = try Counter.count(Model(convention: convention, layers: Self.writtenOut(layers)))
            #expect(grouped.total == flat.total && grouped.trainable == flat.trainable && grouped.active == flat.active, "\(name)")
            #expect(grouped.routed == flat.routed, "\(name)")
            for category in Category.allCases { #expect(grouped.total(of: category) == flat.total(of: category), "\(name) \(category)") }
        }
    }

    @Test func activeParametersSumThroughRepetitions() throws {
        let c = try Counter.count(Model(convention: .pytorch, layers: Self.models[0].1))
        // Each of the 3 repetitions routes a token through 2 of 8 experts of 3·32·56 each.
        #expect(c.total - c.active == 3 * (8 - 2) * 3 * 32 * 56)
        #expect(c.layers[1].total - c.layers[1].active == 3 * 6 * 5376 && c.layers[1].children[0][3].active < c.layers[1].children[0][3].total)
        #expect(c.layers[3].tiedTo == 0)
    }

    @Test func aTiedHeadInsideAGroupNeedsAnEmbeddingAbove() {
        let layers: [Layer] = [Layer(.dense, [(.in, .int(6)), (.out, .int(6))]),
                               .group(repeat: 2, [Layer(.dense, name: "head", [(.out, .int(20)), (.tied, .bool(true))])])]
        let e = modelError { _ = try Counter.count(Model(layers: layers)) }
        #expect(e?.path?.description == "layers[1]/layers[0]" && e?.field == "tied" && e?.message.contains("no embedding") == true)
    }

    @Test func recountingAGroupThatHoldsAnEmbeddingCountsTheRest() throws {
        let layers = Self.models[2].1
        let model = Model(convention: .pytorch, layers: layers + [Layer(.dense, [(.out, .int(20)), (.tied, .bool(true))])])
        let before = try Counter.count(model)
        var edited = model
        edited.replace(at: LayerPath([.layer(1), .layer(0), .layer(0)]), with: Layer(.embedding, [(.vocab, .int(30)), (.dim, .int(6))]))
        let e = modelError { _ = try Counter.recount(edited, replacing: 1, old: model.layers[1], previous: before) }
        // The tied head inside now finds no 20 × 6 table: an error either way, as a full count says.
        #expect(e?.path?.description == "layers[1]/layers[0]/layers[1]" && e?.field == "tied")
        #expect(modelError { _ = try Counter.count(edited) } == e)
    }
}

@Suite("error paths")
struct ErrorPathTests {
    @Test func aDeepPathIsCutInTheMiddle() {
        let steps: [LayerPath.Step] = [.layer(1)] + Array(repeating: .branch(0, 0), count: 64)
        let e = ModelError(path: LayerPath(steps), field: "out", "too deep")
        #expect(e.description == "layers[1]/branches[0][0]/branches[0][0]/branches[0][0]/…/branches[0][0]/branches[0][0]/branches[0][0]/branches[0][0], field 'out': too deep")
        #expect(e.layer == 1 && e.path?.steps.count == 65)
    }
}
