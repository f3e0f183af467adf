import Foundation
import ParamCountApp
import ParamCountCore
import ParamCountFiles
import Testing

func exampleState(width: Int = 80, height: Int = 24, preset: String = "example") -> AppState {
    let p = Presets.named(preset)!
    let doc = try! Document(model: p.model, path: nil, origin: "preset:\(preset)")
    return AppState(document: doc, width: width, height: height)
}

/// Feeds keys through the reducer; returns the effects asked for.
@discardableResult
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    keys.flatMap { reduce(&state, .key($0)) }
}

@discardableResult
func type(_ state: inout AppState, _ text: String) -> [Effect] {
    text.flatMap { reduce(&state, .key(.char($0))) }
}

/// Golden screens: the grid's text and its role mask, compared with a file in Golden/. Set
/// PARAMCOUNT_RECORD=1 to write the files instead; a recording run fails so it is never mistaken
/// for a pass.
func assertGolden(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = grid.text + "\n\n" + grid.roleMask + "\n"
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let file = folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["PARAMCOUNT_RECORD"] == "1" {
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try! actual.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded \(name); run again without PARAMCOUNT_RECORD", sourceLocation: sourceLocation)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no golden file \(name).txt; record it with PARAMCOUNT_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<none>", al = i < a.count ? String(a[i]) : "<none>"
            if el != al { diff.append("line \(i + 1):\n- \(el)\n+ \(al)") }
        }
        let shown: String = diff.prefix(12).joined(separator: "\n")
        Issue.record(Comment(rawValue: "screen \(name) differs:\n" + shown), sourceLocation: sourceLocation)
    }
}
