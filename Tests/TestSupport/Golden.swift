import Foundation
import ParamCountApp
import Testing

/// Golden screens: the grid's text and its role mask (one letter per cell, legend in
/// Golden/README.md), compared with `Golden/NAME.txt` beside the calling test file. Set
/// PARAMCOUNT_RECORD=1 to write the files instead; a recording run fails so it is never mistaken
/// for a pass.
public func assertGolden(_ grid: Grid, _ name: String, filePath: String = #filePath,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = grid.text + "\n\n" + grid.roleMask + "\n"
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden")
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
        Issue.record(Comment(rawValue: "screen \(name) differs (- golden, + now):\n" + lineDiff(expected, actual)),
                     sourceLocation: sourceLocation)
    }
}

/// A real line diff (lines removed and inserted, with their line numbers), not a positional one:
/// a row inserted at the top shows as one line, not as every line below it.
public func lineDiff(_ old: String, _ new: String, limit: Int = 40) -> String {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var lines: [(Int, String)] = []
    for change in b.difference(from: a) {
        switch change {
        case .remove(let offset, let element, _): lines.append((offset * 2, "- \(offset + 1): \(element)"))
        case .insert(let offset, let element, _): lines.append((offset * 2 + 1, "+ \(offset + 1): \(element)"))
        }
    }
    let shown = lines.sorted { $0.0 < $1.0 }.map(\.1)
    return shown.prefix(limit).joined(separator: "\n") + (shown.count > limit ? "\n… \(shown.count - limit) more" : "")
}
