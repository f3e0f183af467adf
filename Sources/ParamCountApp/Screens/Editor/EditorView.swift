import ParamCountCore
import ParamCountFiles

/// The editor: title bar, layer list, the selected layer's form and derivation, totals.
extension Renderer {
    mutating func editorView() {
        title()
        let l = layout
        layerList(doc, count: count, rect: Rect(x: 0, y: l.paneTop, w: l.listWidth, h: l.paneHeight),
                  focused: state.focus == .list && state.mode == .normal, scroll: doc.scroll)
        form(Rect(x: l.formLeft, y: l.paneTop, w: l.formWidth, h: l.paneHeight))
        totals(row: l.totalsRow)
    }

    // MARK: title

    mutating func title() {
        grid.fill(x: 0, y: 0, width: state.width, height: 1, role: .title)
        let name = TerminalSafe.escape(doc.model.name ?? "untitled")
        var x = grid.put(" paramcount  ", x: 0, y: 0, role: .title)
        x = grid.put(name.clipped(to: max(8, state.width / 3)), x: x, y: 0, role: .title)
        let right = " \(doc.model.convention.rawValue) "
        // A checkpoint with a config.json beside it: whether the two agree (the form says where not).
        // It is worth more than the end of a long path, which gives it room.
        let check = doc.checkpoint?.configCheck
        let mark = check.map { c in
            c.problem != nil ? "  config not checked"
                : c.agrees ? "  config ✓" : "  config ✗ " + Format.signed(c.weights - c.config, human: true)
        } ?? ""
        let modified = doc.isModified ? " " + g.modified + " modified" : ""
        let room = state.width - x - 2 - Grid.columns(mark) - Grid.columns(modified) - Grid.columns(right) - 2
        x = grid.put("  " + TerminalSafe.escape(doc.origin).clipped(to: max(8, min(state.width / 3, room))), x: x, y: 0, role: .title)
        if doc.isModified { x = grid.put(modified, x: x, y: 0, role: .modified) }
        if let check, x + Grid.columns(mark) + Grid.columns(right) + 1 < state.width {
            x = grid.put(mark, x: x, y: 0, role: check.agrees ? .title : .modified)
        }
        if x + Grid.columns(right) + 1 < state.width {
            grid.put(right, x: state.width - Grid.columns(right), y: 0, role: .title)
        }
    }

    // MARK: layer list

    struct ListColumns {
        let index, name, shape, params, macs, bar: Int
    }

    /// With an input shape (`shaped`), the shape column holds each layer's output shape and a
    /// MACs column follows the count, as torchinfo's Output Shape and Mult-Adds; the share bar
    /// gives them its room first.
    func listColumns(inner: Int, layers n: Int, shaped: Bool = false) -> ListColumns {
        let index = String(n).count
        let params = 7
        let macs = shaped ? 7 : 0
        let bar = shaped ? (inner >= 64 ? 8 : 0) : inner >= 48 ? 10 : inner >= 36 ? 6 : 0
        let rest = inner - index - params - bar - 4 - (shaped ? macs + 1 : 0)
        // Too narrow for a shape column (a compact comparison): names get the room. Output shapes
        // are short and worth more than long names.
        let shape = shaped ? (rest < 16 ? 0 : min(14, rest - 8)) : rest < 20 ? 0 : max(8, min(18, rest / 2))
        return ListColumns(index: index, name: max(4, rest - shape - (shape == 0 ? -1 : 0)), shape: shape, params: params,
                           macs: shape == 0 ? 0 : macs, bar: bar)
    }

    mutating func layerList(_ doc: Document, count: ModelCount, rect: Rect, focused: Bool, scroll: Int, spacing: Int = 1) {
        let n = doc.rows.count
        let rows = (rect.h - 2) / spacing
        let layers = doc.model.layers.count
        // With shapes the columns are not the usual ones: the title names them.
        let head = "Layers (\(layers))" + (n > rows ? " \(doc.selection + 1)/\(n)" : "")
        let columns = " · output · params · MACs"
        let named = count.inputShape != nil && listColumns(inner: rect.w - 2, layers: layers, shaped: true).macs > 0
            && Grid.columns(head + columns) + 6 <= rect.w
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h, title: head + (named ? columns : ""), focused: focused)
        let inner = rect.w - 2
        let end = min(n, scroll + rows)
        guard scroll < end else { return }
        for i in scroll..<end {
            let y = rect.y + 1 + (i - scroll) * spacing
            // Only the active document is listed this way (editor and classroom views).
            listRow(doc, count: count, row: i, x: rect.x + 1, y: y, inner: inner, selected: i == doc.selection,
                    focused: focused, active: true)
        }
    }

    /// One row of the layer tree: index, name (indented, with ▸/▾ on groups), shape, params and its
    /// share bar — or, inside a repeated group, one repetition's count and how often it repeats.
    /// `active`: the row belongs to the document being edited (its counts may be a stale preview).
    mutating func listRow(_ doc: Document, count: ModelCount, row i: Int, x x0: Int, y: Int, inner: Int,
                          selected: Bool, focused: Bool, active: Bool, marker: PairMarker? = nil) {
        let shaped = count.inputShape != nil
        let c = listColumns(inner: inner - (marker == nil ? 0 : 2), layers: doc.model.layers.count, shaped: shaped)
        let row = doc.rows[i]
        // While a valid value is typed, the row shows the layer as it would be, like its count.
        guard let stored = doc.layer(row: i) else { return }
        let layer = active ? state.previewLayer(i) : stored
        let lc = count.layerCount(at: row.path) ?? LayerCount()
        let kind = layer.kind.shortName
        let shape = shaped ? lc.shapes?.output.compact ?? ""
            : Renderer.tensorShape(doc, layer, namePath: doc.checkpoint == nil ? nil : Checkpoint.namePath(in: doc.model, at: row.path))
                ?? (try? layer.resolve(previousOutput: lc.received, shape: lc.shapes?.input)).map { "\(kind) \($0.shape)" } ?? kind
        var x = x0
        if let marker { x = grid.put(marker.glyph + " ", x: x, y: y, role: marker == .same ? .dim : .deltaUp) }
        let number = row.depth == 0 ? String((row.path.topIndex ?? 0) + 1) : ""
        x = grid.put(number.leftPadded(to: c.index) + " ", x: x, y: y, role: .dim)
        let container = layer.kind == .group || layer.kind == .parallel
        let fold = container ? (doc.isOpen(row.path) ? g.open : g.closed) + " " : ""
        let branch = row.branchStart.map { "\($0 + 1)┊" } ?? ""
        // The repeat stays when the name is cut: "layers ×…" would hide the one number that matters.
        let times = layer.kind == .group && layer.repeatCount > 1 ? " ×\(layer.repeatCount)" : ""
        let head = String(repeating: "  ", count: row.depth) + branch + fold + layer.label
        let label = head.clipped(to: max(1, c.name - Grid.columns(times))) + times
        x = grid.put(label.clipped(to: c.name).padded(to: c.name) + " ", x: x, y: y, role: .normal)
        if c.shape > 0 { x = grid.put(shape.clipped(to: c.shape).padded(to: c.shape) + " ", x: x, y: y, role: .dim) }
        let stale = state.isStale && active
        x = grid.put(Format.human(lc.total).leftPadded(to: c.params) + " ", x: x, y: y, role: stale ? .stale : .value)
        if c.macs > 0 {
            x = grid.put(Format.operations(lc.shapes?.macs ?? 0).leftPadded(to: c.macs) + " ", x: x, y: y, role: stale ? .stale : .dim)
        }
        if row.repeated > 1 {
            // One repetition's count: its share of the total would mislead, so say how often it runs.
            if c.bar > 0 { grid.put(("×" + (row.repeated == Int.max ? "∞" : Format.human(row.repeated))).clipped(to: c.bar), x: x, y: y, role: .dim) }
        } else if c.bar > 0 {
            grid.put(bar(lc.total, of: count.total, width: c.bar), x: x, y: y, role: .bar)
        }
        if selected { grid.paint(x: x0, y: y, width: inner, role: focused ? .selected : .selectedDim) }
    }

    /// A checkpoint row's shape is its first tensor's (`4096×4096`, `+1` for a bias beside it): a
    /// custom row's own shape says only "fixed".
    static func tensorShape(_ doc: Document, _ layer: Layer, namePath: String?) -> String? {
        guard let checkpoint = doc.checkpoint, layer.kind == .custom, let namePath,
              let tensors = checkpoint.tensors(at: namePath), let first = tensors.first else { return nil }
        return Report.shape(first.shape) + (tensors.count > 1 ? " +\(tensors.count - 1)" : "")
    }

    /// A share of the total as a bar of `width` cells, in eighths of a cell.
    func bar(_ part: Int, of whole: Int, width: Int) -> String {
        guard whole > 0, part > 0 else { return "" }
        let eighths = max(1, Int((Double(part) / Double(whole) * Double(width * 8)).rounded()))
        let full = min(width, eighths / 8)
        var s = String(repeating: g.eighths[8], count: full)
        if full < width, eighths % 8 > 0 { s += g.eighths[eighths % 8] }
        return s.isEmpty ? g.eighths[8] : s
    }

    // MARK: form and derivation

    mutating func form(_ rect: Rect) {
        guard let layer = state.shownLayer else { return }
        let i = doc.selection
        let path = doc.selectedPath
        let lc = count.layerCount(at: path) ?? LayerCount()
        let place = path.steps.count == 1 ? "Layer \((path.topIndex ?? 0) + 1)" : "Layer " + (doc.model.namePath(at: path) ?? "")
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h,
            title: "\(place): \(layer.kind.rawValue)" + (layer.name.map { " \"\(TerminalSafe.escape($0))\"" } ?? ""),
            focused: state.focus == .form && state.mode == .normal)
        let x0 = rect.x + 2
        let inner = rect.w - 4
        let labelW = 15
        let resolved = try? state.previewLayer(i).resolve(previousOutput: lc.received, shape: lc.shapes?.input)
        let edit = state.editing
        var y = rect.y + 1
        let bottom = rect.y + rect.h - 1
        for (row, formRow) in FormRow.rows(for: layer.kind).enumerated() where y < bottom {
            let selected = row == doc.field && (state.focus == .form || edit != nil)
            let label: String
            var value: String
            var role: Role = .value
            var note = ""
            switch formRow {
            case .name:
                label = "name"
                value = layer.name.map(TerminalSafe.escape) ?? "—"
                if layer.name == nil { role = .defaultValue }
            case .trainable:
                label = "trainable"
                value = layer.trainable ? "yes" : "no"
                if layer.trainable { role = .defaultValue; note = "default" }
            case .field(let spec):
                label = spec.name
                let explicit = layer.fields[spec.field]
                let effective = resolved?.effectiveValue(spec.field, convention: doc.model.convention) ?? "?"
                value = spec.type == .flag ? (effective == "true" ? "yes" : "no") : effective
                if explicit == nil || explicit == .auto {
                    if spec.isInputWidth { role = .inherited; note = "auto" }
                    else { role = .defaultValue; note = "default" }
                } else {
                    // Set explicitly: say what the default would be, as a form hint.
                    switch spec.defaultValue {
                    case .value(let d): note = "default " + (spec.type == .flag ? (d == .bool(true) ? "yes" : "no") : d.description)
                    case .derived(let rule): note = "default " + rule
                    case .required: if spec.isInputWidth && i > 0 { note = "A: auto" }  // the first layer cannot inherit
                    }
                }
            }
            var editingThis = false
            if let edit, edit.path == path {
                switch (edit.target, formRow) {
                case (.name, .name): editingThis = true
                case (.field(let f), .field(let spec)) where f == spec.field: editingThis = true
                default: break
                }
            }
            grid.put(label.padded(to: labelW), x: x0, y: y, role: .label)
            let valueX = x0 + labelW
            let valueW = inner - labelW
            if editingThis, let edit {
                let tail = TextEntry.shown(edit.text, back: state.cursorBack, cursor: g.cursor, width: valueW)
                grid.fill(x: valueX, y: y, width: valueW, height: 1, role: .editing)
                grid.put(tail, x: valueX, y: y, role: .editing)
                if let error = edit.errorText {
                    for piece in wrap("! " + error, width: inner).prefix(3) where y + 1 < bottom {
                        y += 1
                        grid.put(piece, x: x0, y: y, role: .error, limit: inner)
                    }
                }
            } else {
                var x = grid.put(value.clipped(to: valueW), x: valueX, y: y, role: role)
                if !note.isEmpty && x + Grid.columns(note) + 3 <= valueX + valueW {
                    x = grid.put("  " + note, x: x, y: y, role: .dim)
                }
                if selected { grid.paint(x: x0 - 1, y: y, width: inner + 2, role: state.focus == .form && edit == nil ? .selected : .selectedDim) }
            }
            y += 1
        }
        // What the layer gives, read from the model's input shape: not a field, so not selectable.
        if let shapes = lc.shapes, y < bottom {
            grid.put("output".padded(to: labelW), x: x0, y: y, role: .label)
            let x = grid.put(shapes.output.description.clipped(to: inner - labelW), x: x0 + labelW, y: y,
                             role: state.isStale ? .stale : .inherited)
            let macs = "  MACs " + Format.grouped(shapes.macs)
            if x + Grid.columns(macs) <= x0 + inner { grid.put(macs, x: x, y: y, role: .dim) }
        }
        derivation(rect: rect, lc: lc)
    }

    /// The derivation under the form, scrolled to `derivationScroll`; the bottom border says how
    /// many lines are above and below and which keys scroll.
    mutating func derivation(rect: Rect, lc: LayerCount) {
        let panel = DerivationPanel(state, rect: rect)
        let x = rect.x + 2, width = rect.w - 4
        guard panel.headingRow < panel.bottom else { return }
        let heading = "Derivation"
        grid.put(heading, x: x, y: panel.headingRow, role: .heading)
        // The count itself ends the derivation below; the header adds what it is a share of.
        let share = "\(Format.percent(lc.total, of: count.total)) of total"
        if Grid.columns(heading) + Grid.columns(share) + 2 <= width {
            grid.put(share, x: x + width - Grid.columns(share), y: panel.headingRow, role: state.isStale ? .stale : .value)
        }
        let start = min(state.derivationScroll, panel.maxScroll)
        for (j, line) in panel.lines.dropFirst(start).prefix(panel.rows).enumerated() {
            grid.put(line.text, x: x, y: panel.firstRow + j, role: line.role)
        }
        scrollMarks(above: start, below: panel.lines.count - start - panel.rows, rect: rect,
                    keys: state.focus == .form ? "PgUp PgDn" : "[ ]")
    }

    /// "↑ 3 · ↓ 5 more · PgUp PgDn" on a box's bottom border when its text does not fit.
    mutating func scrollMarks(above: Int, below: Int, rect: Rect, keys: String) {
        guard above > 0 || below > 0 else { return }
        var parts: [String] = []
        if above > 0 { parts.append("↑ \(above)") }
        if below > 0 { parts.append("↓ \(below)") }
        let text = " " + parts.joined(separator: " · ") + " more · " + keys + " "
        guard Grid.columns(text) + 4 <= rect.w else { return }
        grid.put(text, x: rect.x + rect.w - 2 - Grid.columns(text), y: rect.y + rect.h - 1, role: .key)
    }

    mutating func totals(row y: Int) {
        let c = count
        grid.fill(x: 0, y: y, width: state.width, height: 1, role: .total)
        let stale = state.isStale
        let memory = Format.bytes(doc.dtype.bytes(forParams: c.total))
        let wide = state.width >= 100
        // Numbers sit in fixed-width slots so a digit typed rewrites that digit, not the rest of
        // the row (a few bytes over SSH instead of the whole line).
        func slot(_ n: Int) -> String { Format.grouped(n).leftPadded(to: 11) }
        func short(_ n: Int) -> String { Format.human(n).leftPadded(to: 6) }
        let last = stale ? " (last valid)" : ""
        // A mixture of experts: the parameters one token passes through, beside the total.
        let active = c.routed ? "active " + Format.grouped(c.active) + " (" + Format.human(c.active) + ")" : nil
        // With an input shape: the multiply-accumulates of one sample, in a slot of its own width.
        let macs = c.macs.map { "MACs " + Format.operations($0).leftPadded(to: 6) }
        var parts = ["Total " + slot(c.total) + " " + ("(" + Format.human(c.total) + ")").padded(to: 8) + last]
            + (active.map { [$0] } ?? []) + (macs.map { [$0] } ?? [])
            + [wide ? "Trainable " + slot(c.trainable) : "Train " + short(c.trainable),
               wide ? "Non-trainable " + slot(c.nonTrainable) : "Frozen " + short(c.nonTrainable),
               "\(doc.dtype.rawValue) " + memory.leftPadded(to: 10),
               doc.model.convention.rawValue]
        func fits() -> Bool { Grid.columns(" " + parts.joined(separator: " " + g.sep + " ")) <= state.width }
        // The trainable split goes first, then the figures get shorter; the exact total, the active
        // count, the memory figure and the convention (which `t` and `c` change) stay longest.
        let split = 1 + (active == nil ? 0 : 1) + (macs == nil ? 0 : 1)
        for drop in [split + 1, split] where !fits() { parts.remove(at: drop) }
        if !fits() { parts[parts.count - 2] = "\(doc.dtype.rawValue) " + memory }
        if !fits() { parts[0] = "Total " + Format.grouped(c.total) + last }
        if !fits(), active != nil { parts[1] = "active " + Format.human(c.active) }
        if !fits() { parts[0] = "Total " + Format.human(c.total) + last }
        while parts.count > 1 && !fits() { parts.removeLast() }
        grid.put(" " + parts.joined(separator: " " + g.sep + " "), x: 0, y: y, role: stale ? .stale : .total)
    }
}
