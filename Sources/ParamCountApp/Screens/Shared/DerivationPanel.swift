import ParamCountCore
import ParamCountFiles

/// Where the form of the selected layer is on the current screen, if it is shown.
extension AppState {
    var formRect: Rect? {
        switch screen {
        case .editor:
            let l = layout
            return Rect(x: l.formLeft, y: l.paneTop, w: l.formWidth, h: l.paneHeight)
        case .compare:
            guard focus == .form || editing != nil else { return nil }
            let cl = compareLayout
            return Rect(x: active * cl.sideWidth, y: cl.paneTop, w: active == 0 ? cl.sideWidth : width - cl.sideWidth,
                        h: cl.paneHeight)
        case .classroom:
            guard focus == .form || editing != nil else { return nil }
            let cl = classroomLayout
            return Rect(x: cl.listWidth, y: cl.paneTop, w: width - cl.listWidth, h: cl.paneHeight)
        case .planner: return nil
        }
    }

    /// The derivation under the form, worked out the same way for drawing and for scrolling, so
    /// the scroll position can be clamped where it changes.
    var derivationPanel: DerivationPanel? { formRect.map { DerivationPanel(self, rect: $0) } }

    /// Scrolls the derivation under the form (or the classroom's steps) by `delta` lines.
    mutating func scrollDerivation(_ delta: Int) {
        if case .classroom = screen, formRect == nil {
            let most = classroomSteps?.maxScroll ?? 0
            // The classroom counts back from the newest step, which is shown by default.
            derivationScroll = max(0, min(most, derivationScroll - delta))
            return
        }
        let most = derivationPanel?.maxScroll ?? 0
        derivationScroll = max(0, min(most, derivationScroll + delta))
    }

    mutating func clampDerivationScroll() { scrollDerivation(0) }
}

/// The lines of a layer's derivation as the form shows them: each step on its own line, wrapped to
/// the form's width, then the notes.
struct DerivationPanel {
    struct Line: Equatable {
        let text: String
        let role: Role
    }

    let lines: [Line]
    /// The row of the heading; the lines start below it.
    let headingRow: Int
    /// One past the last row the lines may use.
    let bottom: Int

    var firstRow: Int { headingRow + 1 }
    var rows: Int { max(0, bottom - firstRow) }
    var maxScroll: Int { max(0, lines.count - rows) }

    init(_ state: AppState, rect: Rect) {
        let inner = rect.w - 4
        bottom = rect.y + rect.h - 1
        guard let layer = state.shownLayer else {
            lines = []
            headingRow = bottom
            return
        }
        let doc = state.document
        let received = state.selectedReceived
        // The form's rows, the typed value's error under its row, and a blank line.
        var row = rect.y + 1 + FormRow.rows(for: layer.kind).count + (state.shownCount.inputShape == nil ? 0 : 1)
        if let edit = state.editing, let error = edit.errorText, edit.path == doc.selectedPath, edit.target != .input {
            row += Renderer.wrap("! " + error, width: inner).prefix(3).count
        }
        headingRow = min(row + 1, bottom)
        // While a valid value is typed, derive the layer as it would be.
        var shown = layer
        if let edit = state.editing, edit.error == nil, case .success(let l) = state.candidate(for: edit, layer: layer) {
            shown = l
        }
        var out: [Line] = []
        let stepRole: Role = state.isStale ? .stale : .normal
        do {
            // A tied head's note names the embedding whose table it uses.
            let tiedTo = state.shownCount.layerCount(at: doc.selectedPath)?.tiedTo
                .flatMap { doc.model.layers.indices.contains($0) ? doc.model.layers[$0].label : nil }
            let d = try Counter.derivation(of: shown, previousOutput: received, shape: state.selectedShape,
                                           convention: doc.model.convention, tiedTo: tiedTo)
            for line in d.lines {
                // One step per line, as on a board: formula, substitution, result. Always, so the
                // lines below do not jump when a typed number makes the line longer.
                for step in Renderer.splitAtEquals(line) {
                    out += Renderer.wrap(step, width: inner).map { Line(text: $0, role: stepRole) }
                }
            }
            for note in d.notes { out += Renderer.wrap(note, width: inner).map { Line(text: $0, role: .dim) } }
        } catch {
            out = [Line(text: "—", role: stepRole)] + Renderer.wrap(error.message, width: inner).map { Line(text: $0, role: .dim) }
        }
        if let checkpoint = doc.checkpoint {
            out += Self.checkpointLines(checkpoint, layer: layer, namePath: Checkpoint.namePath(in: doc.model, at: doc.selectedPath),
                                        width: inner)
        }
        lines = out
    }

    /// Under a checkpoint row's derivation: the tensors it holds (name, shape, dtype, values), then
    /// what the file holds as a whole. Read-only, scrolled with the derivation.
    /// `namePath` is the layer's name path in the model (`Model.namePath(at:)`).
    static func checkpointLines(_ checkpoint: Checkpoint, layer: Layer, namePath: String?, width: Int) -> [Line] {
        var out: [Line] = []
        if layer.kind == .custom, let namePath, let tensors = checkpoint.tensors(at: namePath), !tensors.isEmpty {
            out.append(Line(text: "", role: .normal))
            out.append(Line(text: "Tensors (\(tensors.count))", role: .heading))
            let nameWidth = min(24, tensors.map { Grid.columns(TerminalSafe.escape(ModuleNode.localName($0))) }.max() ?? 0)
            for t in tensors {
                let local = TerminalSafe.escape(ModuleNode.localName(t))
                let text = local.clipped(to: nameWidth).padded(to: nameWidth) + "  " + Report.shape(t.shape) + "  "
                    + TerminalSafe.escape(t.dtype) + "  " + Format.grouped(t.elements)
                out += Renderer.wrap(text, width: width).map { Line(text: $0, role: .normal) }
            }
        }
        out.append(Line(text: "", role: .normal))
        out.append(Line(text: checkpoint.formatTitle, role: .heading))
        let facts = ["stored: " + checkpoint.dtypeLine] + checkpoint.shownSummary.map { "\($0.key): \($0.value)" }
            + (checkpoint.configCheck?.lines() ?? [])
        for fact in facts { out += Renderer.wrap(TerminalSafe.escape(fact), width: width).map { Line(text: $0, role: .dim) } }
        return out
    }
}
