import ParamCountApp
import ParamCountCore
import ParamCountFiles

/// The editor on a preset, as a user who started `paramcount preset:NAME` sees it.
public func exampleState(width: Int = 80, height: Int = 24, preset: String = "example") -> AppState {
    let p = Presets.named(preset)!
    let doc = try! Document(model: p.model, path: nil, origin: "preset:\(preset)")
    return AppState(document: doc, width: width, height: height)
}

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
