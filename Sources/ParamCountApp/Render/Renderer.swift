import ParamCountCore

/// Box-drawing and bar glyphs, with an ASCII set for terminals whose locale is not UTF-8.
struct Glyphs {
    let h, v, tl, tr, bl, br: String
    let eighths: [String]
    let cursor: String
    let modified: String
    let sep: String
    /// A folded and an unfolded group in the layer list.
    let closed, open: String

    static let unicode = Glyphs(h: "─", v: "│", tl: "┌", tr: "┐", bl: "└", br: "┘",
                                eighths: ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"], cursor: "▏", modified: "●", sep: "│", closed: "▸", open: "▾")
    static let ascii = Glyphs(h: "-", v: "|", tl: "+", tr: "+", bl: "+", br: "+",
                              eighths: ["", "", "", "", "#", "#", "#", "#", "#"], cursor: "_", modified: "*", sep: "|", closed: ">", open: "v")
}

/// Draws the whole state into a grid. Pure: the same state always gives the same grid.
public func render(_ state: AppState) -> Grid {
    var grid = Grid(width: state.width, height: state.height)
    grid.ascii = state.ascii
    var r = Renderer(state: state, grid: grid, g: state.ascii ? .ascii : .unicode)
    DisplayWidth.$ascii.withValue(state.ascii) { r.draw() }
    return r.grid
}

struct Rect {
    var x, y, w, h: Int
}

struct Renderer {
    let state: AppState
    var grid: Grid
    let g: Glyphs

    var doc: Document { state.document }
    var layout: Layout { state.layout }
    var count: ModelCount { state.shownCount }

    mutating func draw() {
        if layout.tooSmall {
            tooSmall()
            return
        }
        switch state.screen {
        case .editor: editorView()
        case .compare: compareView()
        case .classroom: classroomView()
        case .planner: plannerView()
        }
        hints()
        switch state.mode {
        case .help(let scroll): help(scroll)
        case .picker(let i): picker(i)
        case .confirmQuit: confirm()
        case .ask(let q): question(q)
        default: break
        }
    }

    mutating func tooSmall() {
        var lines = ["Terminal too small", "paramcount needs \(Layout.minWidth)×\(Layout.minHeight)",
                     "this one is \(state.width)×\(state.height)"]
        switch state.mode {
        case .confirmQuit:
            lines += ["Unsaved changes: enlarge to save them,", "y quits without saving, n keeps editing"]
        case .editing, .prompt:
            lines += ["enlarge it to go on typing, or Esc"]
        default:
            lines += ["enlarge it, or press q to quit"]
        }
        let top = max(0, state.height / 2 - 2)
        for (i, line) in lines.enumerated() where top + i < state.height {
            grid.put(line.clipped(to: state.width), x: max(0, (state.width - Grid.columns(line)) / 2), y: top + i,
                     role: i == 0 ? .error : .normal)
        }
    }

    mutating func box(x: Int, y: Int, width: Int, height: Int, title: String, focused: Bool) {
        let role: Role = focused ? .focusBorder : .border
        guard width >= 2, height >= 2 else { return }
        grid.put(g.tl + String(repeating: g.h, count: width - 2) + g.tr, x: x, y: y, role: role)
        for yy in (y + 1)..<(y + height - 1) {
            grid.put(g.v, x: x, y: yy, role: role)
            grid.put(g.v, x: x + width - 1, y: yy, role: role)
        }
        grid.put(g.bl + String(repeating: g.h, count: width - 2) + g.br, x: x, y: y + height - 1, role: role)
        grid.put(" " + title.clipped(to: width - 6) + " ", x: x + 2, y: y, role: focused ? .focusBorder : .heading)
    }

    static func splitAtEquals(_ line: String) -> [String] {
        let parts = line.components(separatedBy: " = ")
        guard parts.count > 1 else { return [line] }
        return [parts[0]] + parts.dropFirst().map { "  = " + $0 }
    }

    func wrap(_ text: String, width: Int) -> [String] { Renderer.wrap(text, width: width) }

    /// Wraps at spaces, continuation lines indented.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 8 else { return [text.clipped(to: max(0, width))] }
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if Grid.columns(candidate) > width && !line.isEmpty {
                out.append(line)
                line = "  " + word
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { out.append(line) }
        return out.map { $0.clipped(to: width) }
    }

    // MARK: totals and hints

    mutating func hints() {
        let y = layout.hintRow
        // The model's input shape is typed on the bottom line, like a file name; every figure above
        // follows it while it is valid, and what is wrong shows above it.
        if let edit = state.editing, edit.target == .input {
            let x = grid.put("Input shape (C, H, W or T tokens; empty for none): ", x: 0, y: y, role: .key)
            grid.fill(x: x, y: y, width: state.width - x, height: 1, role: .editing)
            grid.put(TextEntry.shown(TerminalSafe.escape(edit.text), back: state.cursorBack, cursor: g.cursor, width: state.width - x),
                     x: x, y: y, role: .editing)
            if let error = edit.error, y > 0 {
                message(StatusMessage(kind: .error, text: error.description), bottom: y - 1)
            } else if let m = state.message, y > 0 {
                message(m, bottom: y - 1)
            }
            return
        }
        if case .prompt(let purpose, let text) = state.mode {
            let label: String
            switch purpose {
            case .saveAs: label = "Save as: "
            case .saveAndQuit: label = "Save as (then quit): "
            case .open: label = "Open (file or preset:NAME): "
            case .compare: label = "Compare with (file or preset:NAME): "
            }
            let x = grid.put(label, x: 0, y: y, role: .key)
            grid.fill(x: x, y: y, width: state.width - x, height: 1, role: .editing)
            let shown = TextEntry.shown(TerminalSafe.escape(text), back: state.cursorBack, cursor: g.cursor, width: state.width - x)
            grid.put(shown, x: x, y: y, role: .editing)
            // Completion candidates and errors show above the prompt, which keeps its line.
            if let m = state.message, y > 0 { message(m, bottom: y - 1) }
            return
        }
        if let m = state.message {
            message(m, bottom: y)
            return
        }
        var x = 1
        // Mode keys first, where they matter most.
        let entries = KeyMap.hints(state.scope, screens: state.screenScopes)
        for (key, what) in entries {
            let need = Grid.columns(key) + Grid.columns(what) + 3
            if x + need > state.width { break }
            x = grid.put(key, x: x, y: y, role: .key)
            x = grid.put(" " + what + "  ", x: x, y: y, role: .hint)
        }
    }

    /// A status message on row `bottom`. One too long for the row is shortened in the middle, so
    /// its start (what happened) and its end (the key to press) both stay, and the totals bar
    /// above is never covered.
    mutating func message(_ m: StatusMessage, bottom: Int) {
        let role: Role = m.kind == .error ? .error : .message
        grid.fill(x: 0, y: bottom, width: state.width, height: 1, role: role)
        grid.put(" " + Renderer.middleClipped(m.text, to: state.width - 2), x: 0, y: bottom, role: role)
    }

    static func middleClipped(_ text: String, to width: Int) -> String {
        guard Grid.columns(text) > width, width > 12 else { return text.clipped(to: max(0, width)) }
        let keep = width - Grid.columns("…")
        let tailWidth = keep * 2 / 5
        var tail = ""
        for ch in text.reversed() {
            if Grid.columns(tail) + Grid.columns(ch) > tailWidth { break }
            tail.insert(ch, at: tail.startIndex)
        }
        var head = ""
        for ch in text {
            if Grid.columns(head) + Grid.columns(ch) > keep - Grid.columns(tail) { break }
            head.append(ch)
        }
        return head + "…" + tail
    }

    mutating func overlay(width: Int, height: Int, title: String) -> (x: Int, y: Int) {
        let w = min(width, state.width - 2), h = min(height, state.height - 2)
        let x = (state.width - w) / 2, y = max(1, (state.height - h) / 2)
        grid.fill(x: x, y: y, width: w, height: h, role: .overlay)
        box(x: x, y: y, width: w, height: h, title: title, focused: true)
        for yy in (y + 1)..<(y + h - 1) { grid.paint(x: x + 1, y: yy, width: w - 2, role: .overlay) }
        return (x, y)
    }
}
