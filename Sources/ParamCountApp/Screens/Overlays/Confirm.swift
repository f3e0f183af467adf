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

    mutating func question(_ q: Question) {
        let lines: [String]
        var keys: Set<Command> = [.confirmYes, .confirmNo]
        switch q {
        case .discardBeforeOpen:
            lines = ["\(TerminalSafe.escape(doc.origin).clipped(to: 30)) has unsaved changes.", "Discard them and open another model?"]
            keys.insert(.confirmSave)
        case .overwrite(let path, _, _):
            lines = ["\(TerminalSafe.escape(path).clipped(to: 40)) exists.", "Overwrite it?"]
        case .restore(let recovery, _):
            lines = ["A session that was stopped left unsaved edits in", TerminalSafe.escape(recovery).clipped(to: 48), "Restore them?"]
        }
        let (x, y) = overlay(width: 54, height: 5 + lines.count, title: "Are you sure?")
        for (j, line) in lines.enumerated() { grid.put(line, x: x + 2, y: y + 2 + j, role: .overlay, limit: 50) }
        var xx = x + 2
        for b in KeyMap.bindings where b.scope == .question && keys.contains(b.command) {
            xx = grid.put(b.keys[0].label, x: xx, y: y + 3 + lines.count, role: .key)
            xx = grid.put(" " + (b.hint ?? "") + "   ", x: xx, y: y + 3 + lines.count, role: .overlay)
        }
    }
}
