import ParamCountCore

extension Renderer {
    mutating func picker(_ selection: Int) {
        let kinds = LayerKind.allCases
        let h = min(kinds.count + 2, state.height - 2)
        let (x, y) = overlay(width: 40, height: h, title: "Add a layer below")
        let visible = h - 2
        let start = max(0, min(selection - visible + 1, kinds.count - visible))
        for (j, kind) in kinds.dropFirst(max(0, start)).prefix(visible).enumerated() {
            let idx = j + max(0, start)
            grid.put(" " + kind.rawValue.padded(to: 12) + kind.summary, x: x + 1, y: y + 1 + j,
                     role: idx == selection ? .selected : .overlay, limit: 38)
            if idx == selection { grid.paint(x: x + 1, y: y + 1 + j, width: min(38, state.width - 4), role: .selected) }
        }
    }
}
