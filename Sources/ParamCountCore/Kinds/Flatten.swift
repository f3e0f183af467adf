/// Flattens one sample into a vector (torch.nn.Flatten, keras.layers.Flatten): no parameters; the
/// next layer reads the product of the shape's sizes, so it needs the model's input shape.
enum Flatten: KindDefinition {
    struct Settings: Sendable, Equatable {}

    static let kind = LayerKind.flatten
    static let shortName = "flat"
    static let summary = "flatten to a vector"
    static let fields: [FieldSpec] = []

    static func resolve(_ f: FieldReader, into r: inout ResolvedLayer) throws(LayerError) -> Settings {
        guard let shape = f.shape else {
            throw LayerError("has no shape to flatten: give the model an input shape (input: [3, 224, 224] at the top of the file, "
                             + "or I in the editor)")
        }
        do { r.output = try shape.elements() } catch { throw LayerError("flattens \(shape) into more than 2⁶³ values") }
        r.input = f.received ?? 0
        r.inputInherited = true
        return Settings()
    }

    static func parts<S: PartSink>(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention, into sink: inout S) throws(CountOverflow) {}

    static func notes(_ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> [String] {
        ["Flattening has no parameters; the layer below reads the product of the sizes (\(Format.grouped(r.output)))."]
    }

    static func outputShape(_ s: Settings, _ r: ResolvedLayer, _ input: Shape) throws(LayerError) -> Shape {
        Shape([r.output], layout: .featuresLast)
    }

    static func shape(_ s: Settings, _ r: ResolvedLayer) -> String { "→\(r.output)" }

    static func value(_ field: Field, _ s: Settings, _ r: ResolvedLayer, _ convention: Convention) -> String? { nil }

    static func newLayer(below width: Int) -> Layer { Layer(.flatten) }

    static func inventory(_ s: Settings, _ r: ResolvedLayer, times: Int, convention: Convention, isLast: Bool,
                          into inventory: inout Inventory) throws(CountOverflow) {}

    static func wrap(_ s: Settings) -> KindSettings { .flatten }
    static func unwrap(_ k: KindSettings) -> Settings? { if case .flatten = k { return Settings() } else { return nil } }
}
