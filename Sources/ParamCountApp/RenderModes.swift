import ParamCountCore
import ParamCountFiles

/// The comparison and classroom screens.
extension Renderer {
    // MARK: comparison

    mutating func compareView() {
        let cl = state.compareLayout
        let docs = state.documents
        grid.fill(x: 0, y: 0, width: state.width, height: 1, role: .title)
        var x = grid.put(" paramcount  compare  ", x: 0, y: 0, role: .title)
        for side in 0...1 {
            let d = docs[side]
            let name = TerminalSafe.escape(d.model.name ?? d.origin).clipped(to: max(8, state.width / 4))
            x = grid.put((side == 0 ? "A: " : "  vs  B: ") + name, x: x, y: 0, role: .title)
            if d.isModified { x = grid.put(" " + g.modified, x: x, y: 0, role: .modified) }
        }
        let rows = state.alignment
        for side in 0...1 {
            let d = docs[side]
            let isActive = side == state.active
            let count = isActive ? state.shownCount : d.count
            let rect = Rect(x: side * cl.sideWidth, y: cl.paneTop, w: side == 0 ? cl.sideWidth : state.width - cl.sideWidth,
                            h: cl.paneHeight)
            if isActive && (state.focus == .form || state.editing != nil) {
                form(rect)
                continue
            }
            let focused = isActive && state.focus == .list && state.mode == .normal
            let sideName = side == 0 ? "A" : "B"
            box(x: rect.x, y: rect.y, width: rect.w, height: rect.h,
                title: "\(sideName) · \(d.model.convention.rawValue) · \(d.model.layers.count) layers" + (isActive ? " ◆" : ""),
                focused: focused)
            let other = docs[1 - side]
            let otherCount = isActive ? other.count : (state.active == 1 - side ? state.shownCount : other.count)
            let end = min(rows.count, state.compareScroll + cl.listRows)
            if state.compareScroll < end {
                for r in state.compareScroll..<end {
                    let y = rect.y + 1 + r - state.compareScroll
                    let mine = side == 0 ? rows[r].a : rows[r].b
                    let theirs = side == 0 ? rows[r].b : rows[r].a
                    guard let i = mine else {
                        grid.put("·", x: rect.x + 1, y: y, role: .dim)
                        continue
                    }
                    let marker: String
                    if let j = theirs, count.layers.indices.contains(i), otherCount.layers.indices.contains(j) {
                        marker = count.layers[i].total == otherCount.layers[j].total ? "=" : "≠"
                    } else {
                        marker = "!"
                    }
                    listRow(d, count: count, index: i, x: rect.x + 1, y: y, inner: rect.w - 2,
                            selected: isActive && i == d.selection, focused: focused, active: isActive, marker: marker)
                }
            }
            let memory = Format.bytes(d.dtype.bytes(forParams: count.total))
            var line = " Total \(Format.grouped(count.total)) (\(Format.human(count.total))) \(g.sep) \(memory)"
            if Grid.columns(line) > rect.w - 2 { line = " Total \(Format.grouped(count.total)) \(g.sep) \(memory)" }
            if Grid.columns(line) > rect.w - 2 { line = " Total \(Format.human(count.total)) \(g.sep) \(memory)" }
            grid.put(line, x: rect.x + 1, y: rect.y + rect.h - 2, role: isActive && state.isStale ? .stale : .total, limit: rect.w - 2)
        }
        breakdown(cl)
    }

    mutating func breakdown(_ cl: CompareLayout) {
        let a = state.active == 0 ? state.shownCount : state.documents[0].count
        let b = state.active == 1 ? state.shownCount : state.documents[1].count
        let top = cl.breakdownTop
        box(x: 0, y: top, width: state.width, height: cl.breakdownHeight, title: "B − A", focused: false)
        var x = 2
        let y = top + 1
        func delta(_ label: String, _ d: Delta, ratio: Bool = false) {
            x = grid.put(label + " ", x: x, y: y, role: .label)
            let text = d.signedHuman + (ratio ? " " + d.ratio : "")
            x = grid.put(text, x: x, y: y, role: d.difference > 0 ? .deltaUp : d.difference < 0 ? .deltaDown : .value)
            x = grid.put("  " + g.sep + "  ", x: x, y: y, role: .dim)
        }
        delta("Total", Delta(a.total, b.total), ratio: true)
        delta(state.width >= 100 ? "Trainable" : "Train", Delta(a.trainable, b.trainable))
        delta(state.width >= 100 ? "Non-trainable" : "Frozen", Delta(a.nonTrainable, b.nonTrainable))
        let dtype = state.document.dtype
        let bytesA = dtype.bytes(forParams: a.total), bytesB = dtype.bytes(forParams: b.total)
        let diff = bytesB - bytesA
        x = grid.put("\(dtype.rawValue) ", x: x, y: y, role: .label)
        grid.put(diff == 0 ? "0" : (diff > 0 ? "+" : "−") + Format.bytes(abs(diff)), x: x, y: y,
                 role: diff > 0 ? .deltaUp : diff < 0 ? .deltaDown : .value)

        let cats = state.comparedCategories
        let rowsAvailable = cl.breakdownHeight - 4
        guard rowsAvailable > 0 else { return }
        let w = max(9, min(14, (state.width - 18) / 4))
        let header = "by kind".padded(to: 12) + "A".leftPadded(to: w) + "B".leftPadded(to: w)
            + "B − A".leftPadded(to: w) + "ratio".leftPadded(to: 8)
        grid.put(header, x: 2, y: y + 1, role: .heading, limit: state.width - 4)
        for (j, cat) in cats.prefix(rowsAvailable).enumerated() {
            let d = Delta(a.total(of: cat), b.total(of: cat))
            let yy = y + 2 + j
            var xx = grid.put(cat.title.padded(to: 12), x: 2, y: yy, role: .label)
            xx = grid.put(Format.human(d.a).leftPadded(to: w) + Format.human(d.b).leftPadded(to: w), x: xx, y: yy, role: .value)
            let role: Role = d.difference > 0 ? .deltaUp : d.difference < 0 ? .deltaDown : .dim
            xx = grid.put(d.signedHuman.leftPadded(to: w), x: xx, y: yy, role: role)
            grid.put(d.ratio.leftPadded(to: 8), x: xx, y: yy, role: role)
        }
    }

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
