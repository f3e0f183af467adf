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

        let total = Format.grouped(count.total)
        let caption = "parameters · \(doc.model.convention.rawValue) · \(doc.dtype.rawValue) \(Format.bytes(doc.dtype.bytes(forParams: count.total)))"
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

        let n = doc.model.layers.count
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

    /// The selected layer's derivation, revealed one line at a time.
    mutating func steps(_ rect: Rect) {
        let i = doc.selection
        let layer = doc.model.layers[i]
        let lc = count.layers.indices.contains(i) ? count.layers[i] : LayerCount()
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h,
            title: "Layer \(i + 1): \(layer.kind.rawValue)" + (layer.name.map { " \"\(TerminalSafe.escape($0))\"" } ?? "")
                + " = \(Format.grouped(lc.total))", focused: false)
        let lines: [String]
        do { lines = try Counter.derivation(of: layer, previousOutput: lc.received, convention: doc.model.convention).steps } catch {
            lines = [error.message]
        }
        let shown = Array(lines.prefix(max(1, state.revealed)))
        let width = rect.w - 4
        let bottom = rect.y + rect.h - 2
        let wrapped = shown.map { wrap($0, width: width) }
        let needed = wrapped.reduce(0) { $0 + $1.count }
        let gap = needed * 2 <= bottom - rect.y - 1 ? 1 : 0
        var y = rect.y + 1
        for (j, pieces) in wrapped.enumerated() {
            let newest = j == shown.count - 1
            for piece in pieces where y < bottom {
                grid.put(piece, x: rect.x + 2, y: y, role: newest ? .heading : .normal)
                y += 1
            }
            y += gap
        }
        let status = "step \(min(state.revealed, lines.count)) of \(lines.count)" + (state.revealed < lines.count ? " · n next · r all" : " · N back")
        grid.put(status, x: rect.x + rect.w - 2 - Grid.columns(status), y: rect.y + rect.h - 2, role: .dim)
    }
}
