import ParamCountCore

/// Classroom mode: the total in big digits, the layer list, and the selected layer's derivation
/// revealed one step at a time.
extension Renderer {
    // MARK: classroom

    mutating func classroomView() {
        let cl = state.classroomLayout
        grid.palette = state.light ? .classroomLight : .classroomDark
        grid.fill(x: 0, y: 0, width: state.width, height: 1, role: .title)
        let name = TerminalSafe.escape(doc.model.name ?? doc.origin)
        grid.put(" paramcount · classroom · " + name.clipped(to: state.width / 2), x: 0, y: 0, role: .title)
        let conventionLabel = " \(doc.model.convention.rawValue) convention "
        grid.put(conventionLabel, x: state.width - Grid.columns(conventionLabel), y: 0, role: .title)

        if state.comparing {
            pairBanner(cl)
        } else {
            let total = Format.grouped(count.total)
            let caption = "parameters · \(doc.model.convention.rawValue) · \(doc.dtype.rawValue) \(Format.bytes(doc.dtype.bytes(forParams: count.total)))"
                + (count.macs.map { " · " + Format.operations($0) + " MACs per sample" } ?? "")
                + (state.isStale ? " · last valid count" : "")
            if cl.bigDigits {
                let rows = BigDigits.rows(total, ascii: state.ascii)
                for (j, row) in rows.enumerated() {
                    grid.put(row, x: max(0, (state.width - Grid.columns(row)) / 2), y: 2 + j,
                             role: state.isStale ? .stale : .bigDigit)
                }
                grid.put(caption, x: max(0, (state.width - Grid.columns(caption)) / 2), y: 5, role: .heading)
            } else {
                let line = "Total " + total + " " + caption
                grid.put(line.clipped(to: state.width), x: max(0, (state.width - Grid.columns(line)) / 2), y: 1,
                         role: state.isStale ? .stale : .bigDigit)
            }
        }

        let n = doc.rows.count
        let spacing = n * 2 <= cl.listRows ? 2 : 1
        layerList(doc, count: count, rect: Rect(x: 0, y: cl.paneTop, w: cl.listWidth, h: cl.paneHeight),
                  focused: state.focus == .list && state.mode == .normal, scroll: doc.scroll, spacing: spacing)
        let right = Rect(x: cl.listWidth, y: cl.paneTop, w: state.width - cl.listWidth, h: cl.paneHeight)
        if state.focus == .form || state.editing != nil {
            form(right)
        } else {
            steps(right)
        }
        totals(row: cl.totalsRow)
    }

    /// Two models: both totals, big when they fit side by side, with B − A; the list and the steps
    /// below belong to the active side (w switches).
    mutating func pairBanner(_ cl: ClassroomLayout) {
        let totals = state.documents.indices.map { side in side == state.active ? count.total : state.documents[side].count.total }
        let labels = ["A", "B"].enumerated().map { side, name in
            name + (side == state.active ? " ◆ " : " ") + TerminalSafe.escape(state.documents[side].model.name ?? state.documents[side].origin)
        }
        let delta = Delta(totals[0], totals[1])
        let caption = "B − A " + delta.signedHuman + " " + delta.ratio + " · active side ◆ · " + KeyMap.label(for: .switchSide) + " switches"
        if cl.bigDigits {
            let half = state.width / 2
            for side in 0...1 {
                let rows = BigDigits.rows(Format.grouped(totals[side]), ascii: state.ascii)
                let x0 = side * half
                for (j, row) in rows.enumerated() {
                    grid.put(row, x: x0 + max(0, (half - Grid.columns(row)) / 2), y: 2 + j,
                             role: side == state.active && state.isStale ? .stale : .bigDigit)
                }
                let label = labels[side].clipped(to: half - 2)
                grid.put(label, x: x0 + max(0, (half - Grid.columns(label)) / 2), y: 1,
                         role: side == state.active ? .heading : .dim)
            }
            grid.put(caption.clipped(to: state.width), x: max(0, (state.width - Grid.columns(caption)) / 2), y: 5, role: .heading)
        } else {
            let line = "A " + Format.grouped(totals[0]) + " · B " + Format.grouped(totals[1]) + " · " + caption
            grid.put(line.clipped(to: state.width), x: max(0, (state.width - Grid.columns(line)) / 2), y: 1, role: .bigDigit)
        }
    }

    /// The selected layer's derivation, revealed one line at a time. The newest step is always in
    /// view; `[` and `]` scroll back to earlier ones.
    mutating func steps(_ rect: Rect) {
        guard let layer = state.shownLayer else { return }
        let path = doc.selectedPath
        let lc = count.layerCount(at: path) ?? LayerCount()
        let place = path.steps.count == 1 ? "Layer \((path.topIndex ?? 0) + 1)" : "Layer " + (doc.model.namePath(at: path) ?? "")
        let steps = ClassroomSteps(state, rect: rect)
        // The result belongs in the title only once its step has been revealed.
        let result = steps.allRevealed ? " = \(Format.grouped(lc.total))" : ""
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h,
            title: "\(place): \(layer.kind.rawValue)" + (layer.name.map { " \"\(TerminalSafe.escape($0))\"" } ?? "") + result,
            focused: false)
        let start = steps.start(scrolledBack: state.derivationScroll)
        for (j, line) in steps.lines.dropFirst(start).prefix(steps.rows).enumerated() {
            grid.put(line.text, x: rect.x + 2, y: rect.y + 1 + j, role: line.role)
        }
        let status = "step \(steps.revealed) of \(steps.total)" + (steps.allRevealed ? " · N back" : " · n next · r all")
        grid.put(status, x: rect.x + rect.w - 2 - Grid.columns(status), y: rect.y + rect.h - 2, role: .dim)
        scrollMarks(above: start, below: steps.lines.count - start - steps.rows, rect: rect, keys: "[ ]")
    }
}

/// The classroom's revealed steps, laid out once for drawing and for scrolling.
struct ClassroomSteps {
    let lines: [DerivationPanel.Line]
    let rows: Int
    let revealed: Int
    let total: Int

    var allRevealed: Bool { revealed >= total }
    var maxScroll: Int { max(0, lines.count - rows) }

    /// The first line shown: the newest step at the bottom once the steps overflow.
    func start(scrolledBack back: Int) -> Int { max(0, maxScroll - max(0, back)) }

    init(_ state: AppState, rect: Rect) {
        let doc = state.document
        let layer = state.shownLayer ?? Layer(.custom)
        let received = state.selectedReceived
        let all: [String]
        do {
            all = try Counter.derivation(of: layer, previousOutput: received, shape: state.selectedShape, convention: doc.model.convention).steps
        } catch {
            all = [error.message]
        }
        let width = rect.w - 4
        // Rows inside the border, less the status line.
        rows = max(1, rect.h - 3)
        total = all.count
        revealed = min(max(1, state.revealed), all.count)
        let wrapped = all.map { Renderer.wrap($0, width: width) }
        // Spacing is decided on every step, not the revealed ones, so the layout does not jump
        // when the last step appears.
        let gap = wrapped.reduce(0) { $0 + $1.count } * 2 <= rows
        var out: [DerivationPanel.Line] = []
        for (j, pieces) in wrapped.prefix(revealed).enumerated() {
            let newest = j == revealed - 1
            out += pieces.map { DerivationPanel.Line(text: $0, role: newest ? .heading : .normal) }
            if gap && !newest { out.append(DerivationPanel.Line(text: "", role: .normal)) }
        }
        lines = out
    }
}

extension AppState {
    /// The classroom's steps panel, when it is shown (the list has the focus).
    var classroomSteps: ClassroomSteps? {
        guard case .classroom = screen, formRect == nil else { return nil }
        let cl = classroomLayout
        return ClassroomSteps(self, rect: Rect(x: cl.listWidth, y: cl.paneTop, w: width - cl.listWidth, h: cl.paneHeight))
    }
}
