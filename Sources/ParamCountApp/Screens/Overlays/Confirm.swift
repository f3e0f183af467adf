import ParamCountCore

extension Renderer {
    mutating func confirm() {
        let unsaved = state.documents.filter(\.isModified).map { TerminalSafe.escape($0.origin).clipped(to: 30) }
        let (x, y) = overlay(width: 50, height: 5 + unsaved.count, title: "Unsaved changes")
        for (j, name) in unsaved.enumerated() {
            grid.put("\(name) has unsaved changes.", x: x + 2, y: y + 2 + j, role: .overlay, limit: 46)
        }
        var xx = x + 2
        for (key, what) in KeyMap.hints(.confirm) {
            xx = grid.put(key, x: xx, y: y + 3 + unsaved.count - 1, role: .key)
            xx = grid.put(" " + what + "   ", x: xx, y: y + 3 + unsaved.count - 1, role: .overlay)
        }
    }
}
