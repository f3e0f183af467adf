import ParamCountCore

/// The `?` overlay: every binding of the key table, scope by scope.
enum HelpOverlay {
    struct Line {
        let keys: String
        let help: String
        let isHeading: Bool
    }

    static let lines: [Line] = {
        var lines: [Line] = []
        for scope in Scope.allCases where scope != .help {
            lines.append(Line(keys: scope.title, help: "", isHeading: true))
            for b in KeyMap.bindings where b.scope == scope {
                lines.append(Line(keys: b.keys.map(\.label).joined(separator: " "), help: b.help, isHeading: false))
            }
        }
        return lines
    }()

    /// The overlay takes the screen less a line above and below, and its border.
    static func visibleRows(height: Int) -> Int { max(1, height - 4) }
}

extension Renderer {
    mutating func help(_ scroll: Int) {
        let lines = HelpOverlay.lines
        let h = state.height - 2
        // As wide as the screen allows up to the longest line, so descriptions are not cut.
        let widest = lines.map { 20 + Grid.columns($0.help) + 2 }.max() ?? 72
        let w = min(state.width - 2, max(72, widest))
        let (x, y) = overlay(width: w, height: h, title: "Keys — Esc closes, ↑↓ scroll")
        let visible = HelpOverlay.visibleRows(height: state.height)
        let start = max(0, min(scroll, lines.count - visible))
        for (j, line) in lines.dropFirst(start).prefix(visible).enumerated() {
            if line.isHeading {
                grid.put(line.keys, x: x + 2, y: y + 1 + j, role: .heading)
            } else {
                grid.put(line.keys.clipped(to: 16), x: x + 3, y: y + 1 + j, role: .key)
                grid.put(line.help.clipped(to: w - 22), x: x + 20, y: y + 1 + j, role: .overlay, limit: w - 22)
            }
        }
    }
}
