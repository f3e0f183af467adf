import ParamCountCore
import Testing

/// Counts a one-layer model and returns (total, trainable, non-trainable).
func count(_ layer: Layer, _ convention: Convention) throws -> (Int, Int, Int) {
    let c = try Counter.count(Model(convention: convention, layers: [layer]))
    return (c.total, c.trainable, c.nonTrainable)
}

func total(_ layers: [Layer], _ convention: Convention) throws -> Int {
    try Counter.count(Model(convention: convention, layers: layers)).total
}

func dense(_ i: Int?, _ o: Int, bias: Bool = true) -> Layer {
    var f: [(Field, FieldValue)] = [(.out, .int(o)), (.bias, .bool(bias))]
    if let i { f.insert((.in, .int(i)), at: 0) }
    return Layer(.dense, f)
}

func recurrent(_ kind: LayerKind, _ i: Int, _ h: Int, layers: Int = 1, bi: Bool = false, bias: Bool = true) -> Layer {
    Layer(kind, [(.in, .int(i)), (.hidden, .int(h)), (.layers, .int(layers)), (.bidirectional, .bool(bi)), (.bias, .bool(bias))])
}

func modelError(_ body: () throws -> Void) -> ModelError? {
    do { try body() } catch let e as ModelError { return e } catch { Issue.record("unexpected error \(error)") }
    return nil
}
