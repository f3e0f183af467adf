import ParamCountCore

/// How a layer compares with its partner on the other side.
enum PairMarker {
    case same, differs, unpaired

    var glyph: String {
        switch self {
        case .same: return "="
        case .differs: return "≠"
        case .unpaired: return "!"
        }
    }
}

/// Two models side by side, and the B − A breakdown under them.
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
                    let marker: PairMarker
                    let otherDoc = docs[1 - side]
                    if let j = theirs, let mineCount = count.layerCount(at: d.rows[i].path),
                       otherDoc.rows.indices.contains(j), let theirCount = otherCount.layerCount(at: otherDoc.rows[j].path) {
                        marker = mineCount.total == theirCount.total ? .same : .differs
                    } else {
                        marker = .unpaired
                    }
                    listRow(d, count: count, row: i, x: rect.x + 1, y: y, inner: rect.w - 2,
                            selected: isActive && i == d.selection, focused: focused, active: isActive, marker: marker)
                }
            }
            let memory = Format.bytes(d.dtype.bytes(forParams: count.total))
            // The longest that fits: the MACs (with an input shape) go before the exact total does.
            let macs = count.macs.map { " \(g.sep) MACs " + Format.operations($0) } ?? ""
            let totals = [" Total \(Format.grouped(count.total)) (\(Format.human(count.total)))", " Total \(Format.grouped(count.total))",
                          " Total \(Format.human(count.total))"].map { $0 + " \(g.sep) \(memory)" }
            let line = (totals.map { $0 + macs } + totals).first { Grid.columns($0) <= rect.w - 2 } ?? totals[totals.count - 1]
            grid.put(line, x: rect.x + 1, y: rect.y + rect.h - 2, role: isActive && state.isStale ? .stale : .total, limit: rect.w - 2)
        }
        breakdown(cl)
    }

    mutating func breakdown(_ cl: CompareLayout) {
        let a = state.active == 0 ? state.shownCount : state.documents[0].count
        let b = state.active == 1 ? state.shownCount : state.documents[1].count
        let top = cl.breakdownTop
        box(x: 0, y: top, width: state.width, height: cl.breakdownHeight, title: "B − A", focused: false)
        let y = top + 1
        let inner = state.width - 4
        // The overall deltas, most important first; those that do not fit are dropped whole, and
        // the memory figure gets a short label before it goes.
        typealias Part = (label: String, text: String, role: Role)
        func part(_ label: String, _ d: Delta, ratio: Bool = false) -> Part {
            (label, d.signedHuman + (ratio ? " " + d.ratio : ""), d.difference > 0 ? .deltaUp : d.difference < 0 ? .deltaDown : .value)
        }
        let dtype = state.document.dtype
        let bytesA = dtype.bytes(forParams: a.total), bytesB = dtype.bytes(forParams: b.total)
        let diff = bytesB - bytesA
        let memory: Part = (dtype.rawValue, diff == 0 ? "0" : (diff > 0 ? "+" : "−") + Format.bytes(abs(diff)),
                            diff > 0 ? .deltaUp : diff < 0 ? .deltaDown : .value)
        var parts: [Part] = [part("Total", Delta(a.total, b.total), ratio: true),
                             part(state.width >= 100 ? "Trainable" : "Train", Delta(a.trainable, b.trainable)),
                             part(state.width >= 100 ? "Non-trainable" : "Frozen", Delta(a.nonTrainable, b.nonTrainable)),
                             memory]
        // A mixture of experts on either side: what one token passes through, after the total.
        if a.routed || b.routed { parts.insert(part("Active", Delta(a.active, b.active)), at: 1) }
        // Both with input shapes: the compute beside the size.
        let macs = a.macs.flatMap { ma in b.macs.map { mb in Delta(ma, mb) } }
        if let macs {
            var p = part("MACs", macs, ratio: true)
            p.text = macs.signedOperations + " " + macs.ratio
            parts.insert(p, at: a.routed || b.routed ? 2 : 1)
        }
        let sep = "  " + g.sep + "  "
        func columns(_ ps: [Part]) -> Int {
            ps.map { Grid.columns($0.label + " " + $0.text) }.reduce(0, +) + Grid.columns(sep) * (ps.count - 1)
        }
        // Non-trainable goes first, then trainable; total, active and memory stay.
        let split = (a.routed || b.routed ? 2 : 1) + (macs == nil ? 0 : 1)
        for drop in [split + 1, split] where columns(parts) > inner { parts.remove(at: drop) }
        while parts.count > 1 && columns(parts) > inner { parts.removeLast() }
        var x = 2
        for (k, p) in parts.enumerated() {
            if k > 0 { x = grid.put(sep, x: x, y: y, role: .dim) }
            x = grid.put(p.label + " ", x: x, y: y, role: .label, limit: state.width - 2 - x)
            x = grid.put(p.text, x: x, y: y, role: p.role, limit: state.width - 2 - x)
        }

        let cats = state.comparedCategories
        let rowsAvailable = cl.breakdownHeight - 4
        guard rowsAvailable > 0 else { return }
        let w = max(9, min(14, (inner - 20) / 3))
        let header = "by kind".padded(to: 12) + "A".leftPadded(to: w) + "B".leftPadded(to: w)
            + "B − A".leftPadded(to: w) + "ratio".leftPadded(to: 8)
        grid.put(header, x: 2, y: y + 1, role: .heading, limit: inner)
        // When the kinds do not all fit, the last row says how many are left out.
        let cut = cats.count > rowsAvailable
        for (j, cat) in cats.prefix(cut ? rowsAvailable - 1 : rowsAvailable).enumerated() {
            let d = Delta(a.total(of: cat), b.total(of: cat))
            let yy = y + 2 + j
            var xx = grid.put(cat.title.padded(to: 12), x: 2, y: yy, role: .label, limit: inner)
            xx = grid.put(Format.human(d.a).leftPadded(to: w) + Format.human(d.b).leftPadded(to: w), x: xx, y: yy, role: .value,
                          limit: state.width - 2 - xx)
            let role: Role = d.difference > 0 ? .deltaUp : d.difference < 0 ? .deltaDown : .dim
            xx = grid.put(d.signedHuman.leftPadded(to: w), x: xx, y: yy, role: role, limit: state.width - 2 - xx)
            grid.put(d.ratio.leftPadded(to: 8), x: xx, y: yy, role: role, limit: state.width - 2 - xx)
        }
        if cut {
            let left = cats.count - (rowsAvailable - 1)
            grid.put("… \(left) more kind\(left == 1 ? "" : "s"): a taller terminal, or paramcount count A B --compare",
                     x: 2, y: y + 1 + rowsAvailable, role: .dim, limit: inner)
        }
    }
}
