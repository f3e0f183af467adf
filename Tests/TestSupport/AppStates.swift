import ParamCountApp
import ParamCountCore
import ParamCountFiles

/// The editor on a preset, as a user who started `paramcount preset:NAME` sees it.
public func exampleState(width: Int = 80, height: Int = 24, preset: String = "example") -> AppState {
    let p = Presets.named(preset)!
    let doc = try! Document(model: p.model, path: nil, origin: "preset:\(preset)")
    return AppState(document: doc, width: width, height: height)
}

/// The editor on a model built in the test.
public func exampleState(width: Int = 80, height: Int = 24, model: Model, origin: String) -> AppState {
    AppState(document: try! Document(model: model, path: nil, origin: origin), width: width, height: height)
}

/// ResNet-50 with every layer at the top level (107 rows, torchvision's names): a long list to
/// scroll. The preset holds the same layers in groups (25,557,032 parameters either way).
public let flatResNet50: Model = {
    func conv(_ i: Int, _ o: Int, _ k: Int, name: String) -> Layer {
        Layer(.conv, name: name, [(.in, .int(i)), (.out, .int(o)), (.kernel, .int(k)), (.bias, .bool(false))])
    }
    func bn(_ c: Int) -> Layer { Layer(.batchnorm, [(.features, .int(c))]) }
    var layers: [Layer] = [conv(3, 64, 7, name: "conv1"), Layer(.batchnorm, name: "bn1", [(.features, .int(64))])]
    var channels = 64
    for (stage, count) in [3, 4, 6, 3].enumerated() {
        let width = 64 << stage, out = width * 4
        for b in 0..<count {
            let p = "layer\(stage + 1).\(b)"
            layers += [conv(channels, width, 1, name: "\(p).conv1"), bn(width), conv(width, width, 3, name: "\(p).conv2"), bn(width),
                       conv(width, out, 1, name: "\(p).conv3"), bn(out)]
            if b == 0 { layers += [conv(channels, out, 1, name: "\(p).downsample"), bn(out)] }
            channels = out
        }
    }
    layers.append(Layer(.dense, name: "fc", [(.in, .int(channels)), (.out, .int(1000))]))
    return Model(name: "ResNet-50 (torchvision)", convention: .pytorch, layers: layers)
}()

/// Two presets side by side.
public func compareState(_ a: String, _ b: String, width: Int = 80, height: Int = 24) -> AppState {
    let docs = [a, b].map { id in try! Document(model: Presets.named(id)!.model, path: nil, origin: "preset:\(id)") }
    return AppState(documents: docs, width: width, height: height)
}

/// Feeds keys through the reducer; returns the effects asked for (not carried out).
@discardableResult
public func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { reduce(&state, .key($0)) }
}

@discardableResult
public func type(_ state: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { reduce(&state, .key(.char($0))) }
}

/// Presses keys and carries out every effect against `store`, as the event loop does.
public func pressAndRun(_ state: inout AppState, store: FileStore, _ keys: [Key]) {
    for key in keys {
        var pending = reduce(&state, .key(key))
        while !pending.isEmpty { pending += reduce(&state, perform(pending.removeFirst(), store: store)) }
    }
}

/// Named key sequences for the things tests do most.
public enum Recipes {
    /// From the editor's list: open the form of the selected layer, go to `row`, type `value`.
    public static func edit(row: Int, to value: String) -> [Key] {
        [.enter, .home] + Array(repeating: Key.down, count: row) + [.enter, .ctrl("u")] + value.map { .char($0) } + [.enter, .escape]
    }
}
