import ParamCountApp
import Testing

/// Checks one reducer step as a whole: `expected` describes every change to the state (starting
/// from a copy of the state before), and the effects must be exactly `effects`. Anything else that
/// changed fails the test, so a step cannot quietly touch more than it says.
public func assertReduce(_ state: inout AppState, _ action: Action, effects: [Effect] = [],
                         sourceLocation: SourceLocation = #_sourceLocation,
                         _ expected: (inout AppState) -> Void = { _ in }) {
    var want = state
    expected(&want)
    let got = reduce(&state, action)
    #expect(got == effects, "effects", sourceLocation: sourceLocation)
    if state != want {
        Issue.record(Comment(rawValue: "state after \(action) differs:\n" + stateDiff(want, state)), sourceLocation: sourceLocation)
    }
}

/// The fields of two states that differ, one per line.
func stateDiff(_ want: AppState, _ got: AppState) -> String {
    let w = Mirror(reflecting: want).children, g = Mirror(reflecting: got).children
    var out: [String] = []
    for (a, b) in zip(w, g) where String(describing: a.value) != String(describing: b.value) {
        out.append("\(a.label ?? "?"): expected \(String(describing: a.value).prefix(200)), got \(String(describing: b.value).prefix(200))")
    }
    return out.isEmpty ? "(a difference inside a document)" : out.joined(separator: "\n")
}
