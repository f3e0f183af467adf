import ParamCountCore

/// The lines of the figures panel: each figure's formula, numbers and result, the estimate apart
/// from the exact figures, compute, and the definitions. With two models, a table of both sides'
/// figures and B − A comes first, then the active side's formulas.
struct PlannerPanel {
    struct Line: Equatable {
        var text: String
        var role: Role
        /// A value drawn flush right on the same row.
        var right: String = ""
        var rightRole: Role = .value
    }

    let lines: [Line]
    let rows: Int
    var maxScroll: Int { max(0, lines.count - rows) }

    init(plans: [Result<Plan, ModelError>], active: Int, width: Int, rows: Int) {
        self.rows = rows
        var out: [Line] = []
        func wrapped(_ text: String, _ role: Role, indent: Int = 0) {
            out += Renderer.wrap(text, width: width - indent).map { Line(text: String(repeating: " ", count: indent) + $0, role: role) }
        }
        if plans.count == 2, case .success(let a) = plans[0], case .success(let b) = plans[1] {
            out += PlannerPanel.comparison(a, b, active: active, width: width)
            out.append(Line(text: "", role: .normal))
            out.append(Line(text: "Side \(active == 0 ? "A" : "B") ◆ in detail", role: .heading))
        }
        switch plans[active] {
        case .failure(let error):
            wrapped(error.description, .error)
        case .success(let p):
            func figure(_ f: PlanFigure, estimate: Bool = false) {
                out.append(Line(text: f.label.clipped(to: max(1, width - 14)), role: .label,
                                right: (estimate ? "≈ " : "") + f.short, rightRole: estimate ? .stale : .value))
                for (j, step) in f.steps.enumerated() {
                    wrapped(step, j == f.steps.count - 1 ? .value : .normal, indent: 2)
                }
            }
            if let adapters = p.adapters { figure(adapters) }
            for f in p.memory { figure(f) }
            out.append(Line(text: "exact total", role: .heading, right: p.exactBytes.map(PlanFormat.binary) ?? "overflow"))
            if let e = p.exactBytes { out.append(Line(text: "", role: .normal, right: PlanFormat.decimal(e), rightRole: .dim)) }
            if let a = p.activations {
                out.append(Line(text: "", role: .normal))
                out.append(Line(text: "ESTIMATE, not in the exact total:", role: .stale))
                figure(a, estimate: true)
                out.append(Line(text: "needed with the estimate", role: .heading, right: p.neededBytes.map(PlanFormat.binary) ?? "overflow"))
            }
            if let per = p.perParameter {
                out.append(Line(text: "", role: .normal))
                wrapped(per, .dim)
            }
            out.append(Line(text: "", role: .normal))
            out.append(Line(text: p.compute.first?.id == .forwardPerSample ? "Compute (from the shapes; ≈ per token, Kaplan et al.)"
                                                                       : "Compute ≈ (Kaplan et al. 2020)", role: .heading))
            for f in p.compute { figure(f, estimate: f.certainty == .estimate) }
            out.append(Line(text: "", role: .normal))
            out.append(Line(text: "Definitions", role: .heading))
            for f in [p.adapters].compactMap({ $0 }) + p.memory + [p.activations].compactMap({ $0 }) + p.compute {
                for note in f.notes { wrapped(f.label + ": " + note, .dim) }
            }
            for note in p.notes { wrapped(note, .dim) }
            for note in Set(Accelerators.all.compactMap(\.note)).sorted() { wrapped(note, .dim) }
        }
        lines = out
    }

    /// Both sides' figures in columns, with B − A: exact to two decimals when there is room, else
    /// in the compact form.
    static func comparison(_ a: Plan, _ b: Plan, active: Int, width: Int) -> [Line] {
        let wide = width >= 60
        let w = wide ? 13 : 10
        let labelW = max(6, width - 3 * (w + 1))
        func row(_ label: String, _ x: Int?, _ y: Int?, unit: PlanUnit, role: Role = .label) -> Line {
            func value(_ n: Int) -> String { wide ? PlanFormat.short(n, unit) : PlanFormat.compact(n, unit) }
            func cell(_ n: Int?) -> String { " " + (n.map(value) ?? "—").leftPadded(to: w) }
            var delta = "—"
            var deltaRole: Role = .dim
            if let x, let y {
                let d = y.subtractingReportingOverflow(x)
                if !d.overflow {
                    delta = wide ? PlanFormat.signed(d.partialValue, unit) : PlanFormat.signedCompact(d.partialValue, unit)
                    deltaRole = d.partialValue > 0 ? .deltaUp : d.partialValue < 0 ? .deltaDown : .dim
                }
            }
            return Line(text: label.clipped(to: labelW).padded(to: labelW) + cell(x) + cell(y), role: role,
                        right: delta.clipped(to: w), rightRole: deltaRole)
        }
        var out = [Line(text: "".padded(to: labelW) + " " + ("A" + (active == 0 ? " ◆" : "")).leftPadded(to: w)
                        + " " + ("B" + (active == 1 ? " ◆" : "")).leftPadded(to: w), role: .heading, right: "B − A", rightRole: .heading)]
        if a.adapters != nil || b.adapters != nil {
            out.append(row("LoRA", a.adapters?.value, b.adapters?.value, unit: .parameters))
        }
        var ids: [PlanFigure.ID] = []
        for f in a.memory + b.memory where !ids.contains(f.id) { ids.append(f.id) }
        for id in ids {
            let fa = a.memory.first { $0.id == id }, fb = b.memory.first { $0.id == id }
            out.append(row(Renderer.shortLabel(id), fa?.value ?? 0, fb?.value ?? 0, unit: .bytes))
        }
        out.append(row("total", a.exactBytes, b.exactBytes, unit: .bytes, role: .heading))
        if a.activations != nil || b.activations != nil {
            out.append(row("act. ≈", a.activations?.value ?? 0, b.activations?.value ?? 0, unit: .bytes, role: .stale))
            out.append(row("needed ≈", a.neededBytes, b.neededBytes, unit: .bytes, role: .heading))
        }
        if let fa = a.compute.first, let fb = b.compute.first {
            out.append(row(wide ? "FLOP/token ≈" : "FLOP/tok", fa.value, fb.value, unit: .flops))
        }
        return out
    }
}

/// The planner screen.
extension Renderer {
    static func shortLabel(_ id: PlanFigure.ID) -> String {
        switch id {
        case .weights: return "weights"
        case .kvCache: return "KV"
        case .gradients: return "grads"
        case .masterWeights: return "master"
        case .optimizerStates: return "optimizer"
        case .adapters: return "LoRA"
        case .activations: return "activations"
        case .forwardPerToken, .trainingPerToken, .trainingPerStep, .forwardPerSample: return "FLOPs"
        }
    }

    mutating func plannerView() {
        let pl = state.plannerLayout
        plannerTitle()
        plannerSettings(pl)
        let plans = state.documents.indices.map { state.plan(side: $0) }
        if pl.fitsHeight > 0 { plannerFits(pl, plans) }
        plannerFigures(pl, plans)
        plannerTotals(pl, plans)
    }

    mutating func plannerTitle() {
        grid.fill(x: 0, y: 0, width: state.width, height: 1, role: .title)
        var x = grid.put(" paramcount  planner  ", x: 0, y: 0, role: .title)
        for side in state.documents.indices {
            let d = state.documents[side]
            let name = TerminalSafe.escape(d.model.name ?? d.origin).clipped(to: max(8, state.width / (state.comparing ? 4 : 3)))
            if state.comparing { x = grid.put(side == 0 ? "A: " : "  vs  B: ", x: x, y: 0, role: .title) }
            x = grid.put(name, x: x, y: 0, role: .title)
            if d.isModified { x = grid.put(" " + g.modified, x: x, y: 0, role: .modified) }
        }
        let right = " \(doc.model.convention.rawValue) "
        if x + Grid.columns(right) + 1 < state.width {
            grid.put(right, x: state.width - Grid.columns(right), y: 0, role: .title)
        }
    }

    mutating func plannerSettings(_ pl: PlannerLayout) {
        let p = state.planner
        let s = state.plannerSettings(side: state.active)
        let typing = p.typing != nil
        box(x: 0, y: pl.paneTop, width: pl.leftWidth, height: pl.settingsHeight, title: "Settings",
            focused: state.mode == .normal && !typing)
        let x0 = 2, inner = pl.leftWidth - 4, labelW = 16
        for (j, row) in PlannerRow.allCases.prefix(pl.settingsRows).enumerated() {
            let y = pl.paneTop + 1 + j
            let selected = row == p.row
            grid.put(row.label.padded(to: labelW), x: x0, y: y, role: row.applies(s) ? .label : .dim)
            let valueX = x0 + labelW, valueW = inner - labelW
            if selected, let text = p.typing {
                grid.fill(x: valueX, y: y, width: valueW, height: 1, role: .editing)
                grid.put(TextEntry.shown(text, back: state.cursorBack, cursor: g.cursor, width: valueW), x: valueX, y: y, role: .editing)
                continue
            }
            let full = row.text(s)
            let text = Grid.columns(full) <= valueW ? full : row.shortText(s)
            grid.put(text.clipped(to: valueW), x: valueX, y: y, role: row.applies(s) ? .value : .dim)
            if selected {
                grid.paint(x: x0 - 1, y: y, width: inner + 2, role: state.mode == .normal ? .selected : .selectedDim)
            }
        }
    }

    /// The accelerators, most memory first, with ✓ or ✗ and the headroom. When they do not all fit,
    /// the rows around the last card that fits are shown.
    mutating func plannerFits(_ pl: PlannerLayout, _ plans: [Result<Plan, ModelError>]) {
        let fits: [[Fit]] = plans.map { (try? $0.get())?.fits ?? [] }
        let mine = fits[state.active]
        let needed = (try? plans[state.active].get())?.neededBytes
        // With two models the marks are A's and B's; the headroom is the active side's.
        let title = "Fits on" + (state.comparing ? " · A B · room for " + (state.active == 0 ? "A" : "B")
                                 : needed.map { " · needs " + PlanFormat.binary($0) } ?? "")
        let rect = Rect(x: 0, y: pl.fitsTop, w: pl.leftWidth, h: pl.fitsHeight)
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h, title: title, focused: false)
        let all = Accelerators.all
        guard !mine.isEmpty else {
            grid.put("too large to check".clipped(to: rect.w - 4), x: 2, y: rect.y + 1, role: .dim)
            return
        }
        let rows = pl.fitsRows
        let boundary = mine.lastIndex { $0.fits } ?? 0
        let start = max(0, min(all.count - rows, boundary - rows / 2))
        let inner = rect.w - 4
        let marks = state.comparing ? 4 : 2
        // Two decimals when the names keep their room, else the compact form (`+161 GiB`).
        let exact = inner - marks - 11 - 1 >= 15
        let valueW = exact ? 11 : 9
        for (j, i) in (start..<min(all.count, start + rows)).enumerated() {
            let y = rect.y + 1 + j
            var x = 2
            for side in fits.indices where state.comparing || side == state.active {
                let f = fits[side].indices.contains(i) ? fits[side][i] : nil
                let mark = f.map { $0.fits ? "✓" : "✗" } ?? "·"
                x = grid.put(mark + " ", x: x, y: y, role: f.map { $0.fits ? .message : .error } ?? .dim)
            }
            let f = mine[i]
            grid.put(f.accelerator.name.clipped(to: inner - marks - valueW - 1), x: x, y: y, role: .normal)
            let value = exact ? PlanFormat.signedBinary(f.headroom) : PlanFormat.signedCompact(f.headroom, .bytes)
            grid.put(value.clipped(to: valueW).leftPadded(to: valueW), x: rect.x + rect.w - 2 - valueW, y: y,
                     role: f.fits ? .value : .dim)
        }
        // No key scrolls this list (a taller terminal shows more): the marks only count what is hidden.
        let above = start, below = all.count - start - rows
        if above > 0 || below > 0 {
            let text = " " + [above > 0 ? "↑ \(above)" : nil, below > 0 ? "↓ \(below)" : nil].compactMap { $0 }.joined(separator: " · ") + " more "
            if Grid.columns(text) + 4 <= rect.w {
                grid.put(text, x: rect.x + rect.w - 2 - Grid.columns(text), y: rect.y + rect.h - 1, role: .dim)
            }
        }
    }

    mutating func plannerFigures(_ pl: PlannerLayout, _ plans: [Result<Plan, ModelError>]) {
        let rect = Rect(x: pl.figuresLeft, y: pl.paneTop, w: pl.figuresWidth, h: pl.paneHeight)
        let s = state.plannerSettings(side: state.active)
        var title = s.training ? "Training" + (s.lora ? " with LoRA r=\(s.loraRank)" : " (full fine-tuning)") : "Inference"
        title += " · T \(Format.grouped(s.context)) · B \(Format.grouped(s.batch))"
        box(x: rect.x, y: rect.y, width: rect.w, height: rect.h, title: title, focused: false)
        let panel = PlannerPanel(plans: plans, active: state.active, width: rect.w - 4, rows: max(0, rect.h - 2))
        let start = min(state.planner.scroll, panel.maxScroll)
        let x = rect.x + 2, width = rect.w - 4
        for (j, line) in panel.lines.dropFirst(start).prefix(panel.rows).enumerated() {
            let y = rect.y + 1 + j
            let rightW = Grid.columns(line.right)
            let end = grid.put(line.text, x: x, y: y, role: line.role, limit: width - (rightW > 0 ? rightW + 1 : 0))
            if rightW > 0, end + 1 + rightW <= x + width || line.text.isEmpty {
                grid.put(line.right, x: x + width - rightW, y: y, role: line.rightRole, limit: width)
            }
        }
        scrollMarks(above: start, below: panel.lines.count - start - panel.rows, rect: rect, keys: "PgUp PgDn")
    }

    /// The bar under the panes: what the plan needs, the figures it is made of, and how many cards fit.
    mutating func plannerTotals(_ pl: PlannerLayout, _ plans: [Result<Plan, ModelError>]) {
        let y = pl.totalsRow
        grid.fill(x: 0, y: y, width: state.width, height: 1, role: .total)
        guard case .success(let p) = plans[state.active] else {
            grid.put(" The model does not count: no plan", x: 0, y: y, role: .total)
            return
        }
        var parts: [String] = []
        switch (p.exactBytes, p.activations?.value) {
        case (let exact?, let estimate?): parts.append("Needs " + PlanFormat.binary(exact) + " + ≈" + PlanFormat.binary(estimate) + " activations")
        case (let exact?, nil) where p.activations == nil: parts.append("Needs " + PlanFormat.binary(exact) + " exact")
        default: parts.append("Needs more than 64 bits can count")
        }
        if let t = p.trainable, p.settings.training { parts.append("trains " + Format.human(t)) }
        for f in p.memory { parts.append(Renderer.shortLabel(f.id) + " " + f.short) }
        if !p.fits.isEmpty { parts.append("fits \(p.fits.filter(\.fits).count) of \(p.fits.count) cards") }
        if state.comparing, plans.count == 2, case .success(let a) = plans[0], case .success(let b) = plans[1],
           let x = a.neededBytes, let z = b.neededBytes {
            let d = z.subtractingReportingOverflow(x)
            if !d.overflow { parts.insert("B − A " + PlanFormat.signedBinary(d.partialValue), at: 1) }
        }
        func fits() -> Bool { Grid.columns(" " + parts.joined(separator: " " + g.sep + " ")) <= state.width }
        // What the plan needs and how many cards fit stay longest; the figures between go first.
        while parts.count > 2 && !fits() { parts.remove(at: parts.count - 2) }
        if !fits() { parts = [parts[0]] }
        grid.put(" " + parts.joined(separator: " " + g.sep + " "), x: 0, y: y, role: .total, limit: state.width)
    }
}
