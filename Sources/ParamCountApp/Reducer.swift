import ParamCountCore
import ParamCountFiles

/// Something that happened: a key, a resize, or the result of an effect the loop carried out.
public enum Action: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case saved(side: Int, path: String, error: String?, quitAfter: Bool)
    case opened(reference: String, asSideB: Bool, result: Result<LoadedModel, ModelError>)
}

/// Work with the outside world that the reducer asks the loop to do.
public enum Effect: Equatable, Sendable {
    case save(Model, path: String, side: Int, quitAfter: Bool)
    case open(String, asSideB: Bool)
}

/// A row of the parameter form.
public enum FormRow: Equatable, Sendable {
    case name, trainable
    case field(FieldSpec)

    public static func rows(for kind: LayerKind) -> [FormRow] {
        [.name] + Schema.fields(of: kind).map { .field($0) } + [.trainable]
    }
}

/// The one place the state changes.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .resize(let w, let h):
        state.width = w
        state.height = h
        state.keepSelectionVisible()
        return []
    case .saved(let side, let path, let error, let quitAfter):
        guard state.documents.indices.contains(side) else { return [] }
        if let error {
            state.message = StatusMessage(kind: .error, text: "Not saved: \(error). Your edits are kept.")
            if quitAfter { state.mode = .normal }
        } else {
            state.documents[side].path = path
            state.documents[side].origin = path
            state.documents[side].markSaved()
            state.message = StatusMessage(kind: .info, text: "Saved \(TerminalSafe.escape(path))")
            if quitAfter && !state.documents.contains(where: \.isModified) { state.quitRequested = true }
        }
        return []
    case .opened(let reference, let asSideB, let result):
        switch result {
        case .success(let loaded):
            do {
                var doc = try Document(model: loaded.model, path: reference.hasPrefix("preset:") ? nil : reference, origin: reference)
                doc.dtype = state.document.dtype
                if asSideB {
                    state.documents = [state.documents[0], doc]
                    state.active = 0
                    state.message = StatusMessage(kind: .info, text: "Comparing with \(TerminalSafe.escape(reference)); w switches sides")
                } else {
                    state.document = doc
                    state.message = StatusMessage(kind: .info, text: "Opened \(TerminalSafe.escape(reference))")
                }
                state.focus = .list
                state.keepSelectionVisible()
            } catch {
                state.message = StatusMessage(kind: .error, text: error.description)
            }
        case .failure(let error):
            state.message = StatusMessage(kind: .error, text: error.description)
        }
        return []
    case .key(let key):
        // A message stays until the next key.
        state.message = nil
        return handle(key, &state)
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if case .mouseClick(let x, let y) = key { state.click(x: x, y: y); return [] }
    if key == .wheelUp || key == .wheelDown {
        state.moveSelection(key == .wheelUp ? -3 : 3)
        return []
    }
    let scope = state.scope
    guard let command = KeyMap.command(for: key, in: scope) else {
        if case .char(let ch) = key { return typed(ch, &state) }
        return []
    }
    return state.run(command)
}

/// Printable keys that no binding claims: text for the edit buffer or a prompt, or the start of an
/// edit when a digit is typed on a form field.
private func typed(_ ch: Character, _ state: inout AppState) -> [Effect] {
    switch state.mode {
    case .editing(var e):
        e.text.append(ch)
        state.updateEdit(e)
    case .prompt(let purpose, let text):
        state.mode = .prompt(purpose, text: text + String(ch))
    case .picker:
        if let i = LayerKind.allCases.firstIndex(where: { $0.rawValue.first == ch }) { state.mode = .picker(selection: i) }
    case .normal where state.focus == .form && (ch.isNumber || ch == "["):
        state.startEdit(initial: String(ch))
    default: break
    }
    return []
}

extension AppState {
    public var layout: Layout { Layout(width: width, height: height) }

    var formRows: [FormRow] { shownLayer.map { FormRow.rows(for: $0.kind) } ?? [] }

    mutating func run(_ command: Command) -> [Effect] {
        switch (mode, command) {
        // Overlays and prompts first: they own the keyboard.
        case (.help, .closeOverlay): mode = .normal
        case (.help(let s), .up): mode = .help(scroll: max(0, s - 1))
        case (.help(let s), .down): mode = .help(scroll: s + 1)
        case (.confirmQuit, .confirmYes): quitRequested = true
        case (.confirmQuit, .confirmNo): mode = .normal
        case (.confirmQuit, .confirmSave):
            // Sides without a file are asked for a name first, one at a time.
            if let unnamed = documents.indices.first(where: { documents[$0].isModified && documents[$0].path == nil }) {
                active = unnamed
                mode = .prompt(.saveAndQuit, text: suggestedFileName)
                return []
            }
            return documents.indices.filter { documents[$0].isModified }.map {
                .save(documents[$0].model, path: documents[$0].path!, side: $0, quitAfter: true)
            }
        case (.picker(let i), .up): mode = .picker(selection: max(0, i - 1))
        case (.picker(let i), .down): mode = .picker(selection: min(LayerKind.allCases.count - 1, i + 1))
        case (.picker(let i), .commit): addLayer(LayerKind.allCases[i])
        case (.picker, .cancel): mode = .normal
        case (.prompt(let purpose, let text), .commit):
            let name = text.trimmedSpaces
            guard !name.isEmpty else { message = StatusMessage(kind: .error, text: "Type a file name first"); return [] }
            mode = .normal
            switch purpose {
            case .saveAs: return [.save(document.model, path: name, side: active, quitAfter: false)]
            case .saveAndQuit:
                // Then the other unsaved sides, which have files.
                return [.save(document.model, path: name, side: active, quitAfter: true)]
                    + documents.indices.filter { $0 != active && documents[$0].isModified && documents[$0].path != nil }
                        .map { .save(documents[$0].model, path: documents[$0].path!, side: $0, quitAfter: true) }
            case .open: return [.open(name, asSideB: false)]
            case .compare: return [.open(name, asSideB: true)]
            }
        case (.prompt, .cancel): mode = .normal
        case (.prompt(let p, let text), .backspace): mode = .prompt(p, text: String(text.dropLast()))
        case (.prompt(let p, _), .clearBuffer): mode = .prompt(p, text: "")
        case (.editing(var e), .backspace):
            e.text = String(e.text.dropLast())
            updateEdit(e)
        case (.editing(var e), .clearBuffer):
            e.text = ""
            updateEdit(e)
        case (.editing, .cancel): mode = .normal
        case (.editing(let e), .commit): commitEdit(e)

        // Document commands.
        case (.normal, .help): mode = .help(scroll: 0)
        case (.normal, .quit):
            if documents.contains(where: \.isModified) { mode = .confirmQuit } else { quitRequested = true }
        case (.normal, .save):
            guard let path = document.path else {
                mode = .prompt(.saveAs, text: suggestedFileName)
                return []
            }
            return [.save(document.model, path: path, side: active, quitAfter: false)]
        case (.normal, .saveAs): mode = .prompt(.saveAs, text: document.path ?? suggestedFileName)
        case (.normal, .open):
            if document.isModified {
                message = StatusMessage(kind: .error, text: "Unsaved changes: save (s) or undo (u) before opening another model")
            } else {
                mode = .prompt(.open, text: "")
            }
        case (.normal, .undo):
            if !document.undo() { message = StatusMessage(kind: .info, text: "Nothing to undo") }
            clampField()
            keepSelectionVisible()
        case (.normal, .redo):
            if !document.redo() { message = StatusMessage(kind: .info, text: "Nothing to redo") }
            clampField()
            keepSelectionVisible()
        case (.normal, .cycleConvention):
            let old = document.model.convention
            apply(.convention(old: old, new: old.next))
        case (.normal, .cycleDtype): document.dtype = document.dtype.next
        case (.normal, .switchFocus): focus = focus == .list ? .form : .list

        // Comparison.
        case (.normal, .compareWith):
            if comparing { message = StatusMessage(kind: .info, text: "Already comparing: B closes the other side first") }
            else { mode = .prompt(.compare, text: "") }
        case (.normal, .compareConventions):
            guard !comparing else {
                message = StatusMessage(kind: .info, text: "Already comparing: B closes the other side first")
                return []
            }
            var model = document.model
            model.convention = model.convention.next
            if var doc = try? Document(model: model, path: nil, origin: document.origin + " as " + model.convention.rawValue) {
                doc.dtype = document.dtype
                doc.selection = document.selection
                documents.append(doc)
                message = StatusMessage(kind: .info, text: "B is the same model under \(model.convention.rawValue); c on a side changes its convention")
            }
            keepSelectionVisible()
        case (.normal, .closeCompare):
            guard comparing else { return [] }
            let other = 1 - active
            if documents[other].isModified {
                message = StatusMessage(kind: .error, text: "Side \(other == 0 ? "A" : "B") has unsaved changes: switch to it (w) and save or undo first")
                return []
            }
            documents.remove(at: other)
            active = 0
            keepSelectionVisible()
        case (.normal, .switchSide):
            guard comparing else { message = StatusMessage(kind: .info, text: "Not comparing: b opens a second model"); return [] }
            active = 1 - active
            revealed = 1
            keepSelectionVisible()
        case (.normal, .swapSides):
            guard comparing else { return [] }
            documents.reverse()
            active = 1 - active

        // Classroom.
        case (.normal, .toggleClassroom):
            classroom.toggle()
            revealed = 1
            keepSelectionVisible()
        case (.normal, .toggleLight): light.toggle()
        case (.normal, .nextStep): revealed = min(revealed + 1, stepCount)
        case (.normal, .previousStep): revealed = max(1, revealed - 1)
        case (.normal, .revealAll): revealed = stepCount

        // The layer list.
        case (.normal, .up) where focus == .list: moveSelection(-1)
        case (.normal, .down) where focus == .list: moveSelection(1)
        case (.normal, .pageUp) where focus == .list: moveSelection(-max(1, layout.listRows - 1))
        case (.normal, .pageDown) where focus == .list: moveSelection(max(1, layout.listRows - 1))
        case (.normal, .top) where focus == .list: moveSelection(-document.model.layers.count)
        case (.normal, .bottom) where focus == .list: moveSelection(document.model.layers.count)
        case (.normal, .focusForm): focus = .form
        case (.normal, .addLayer): mode = .picker(selection: LayerKind.allCases.firstIndex(of: .dense)!)
        case (.normal, .deleteLayer):
            guard document.model.layers.count > 1 else {
                message = StatusMessage(kind: .error, text: "A model needs at least one layer")
                return []
            }
            let i = document.selection
            apply(.remove(index: i, layer: document.model.layers[i]))
            document.selection = min(i, document.model.layers.count - 1)
        case (.normal, .duplicateLayer):
            let i = document.selection
            var copy = document.model.layers[i]
            if let name = copy.name { copy.name = name + " copy" }
            apply(.insert(index: i + 1, layer: copy))
        case (.normal, .moveLayerUp) where document.selection > 0:
            apply(.move(from: document.selection, to: document.selection - 1))
        case (.normal, .moveLayerDown) where document.selection + 1 < document.model.layers.count:
            apply(.move(from: document.selection, to: document.selection + 1))

        // The form.
        case (.normal, .up) where focus == .form: document.field = max(0, document.field - 1)
        case (.normal, .down) where focus == .form: document.field = min(formRows.count - 1, document.field + 1)
        case (.normal, .top) where focus == .form: document.field = 0
        case (.normal, .bottom) where focus == .form: document.field = formRows.count - 1
        case (.normal, .focusList): focus = .list
        case (.normal, .edit):
            if case .trainable? = currentRow { toggleCurrent() }
            else if case .field(let spec)? = currentRow, spec.type == .flag { toggleCurrent() }
            else { startEdit(initial: nil) }
        case (.normal, .toggle): toggleCurrent()
        case (.normal, .setAuto): setCurrent(nil, autoOnly: true)
        case (.normal, .resetField): setCurrent(nil, autoOnly: false)
        default: break
        }
        return []
    }

    var suggestedFileName: String {
        let base = (document.model.name ?? "model").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let trimmed = String(base).split(separator: "-").joined(separator: "-")
        return (trimmed.isEmpty ? "model" : String(trimmed.prefix(40))) + ".yaml"
    }

    var currentRow: FormRow? {
        let rows = formRows
        return rows.indices.contains(document.field) ? rows[document.field] : nil
    }

    /// Applies a document change, or explains why it would make the model invalid.
    mutating func apply(_ change: Change) {
        if let error = document.perform(change) {
            message = StatusMessage(kind: .error, text: "Not changed: " + error.description)
        }
        clampField()
        keepSelectionVisible()
    }

    mutating func clampField() {
        document.field = max(0, min(document.field, formRows.count - 1))
    }

    /// Lines of the step-by-step derivation of the selected layer.
    var stepCount: Int {
        (try? Counter.derivation(document.model, layer: document.selection).steps.count) ?? 1
    }

    mutating func moveSelection(_ delta: Int) {
        let n = document.model.layers.count
        let before = document.selection
        document.selection = max(0, min(n - 1, document.selection + delta))
        if document.selection != before { revealed = 1 }
        clampField()
        keepSelectionVisible()
    }

    mutating func keepSelectionVisible() {
        if comparing {
            let rows = max(1, compareLayout.listRows)
            let aligned = alignment
            let side = active
            let row = aligned.firstIndex { (side == 0 ? $0.a : $0.b) == document.selection } ?? 0
            if row < compareScroll { compareScroll = row }
            if row >= compareScroll + rows { compareScroll = row - rows + 1 }
            compareScroll = max(0, min(compareScroll, max(0, aligned.count - rows)))
            return
        }
        let rows = max(1, (classroom ? classroomLayout.listRows : layout.listRows))
        if document.selection < document.scroll { document.scroll = document.selection }
        if document.selection >= document.scroll + rows { document.scroll = document.selection - rows + 1 }
        document.scroll = max(0, min(document.scroll, max(0, document.model.layers.count - rows)))
    }

    mutating func click(x: Int, y: Int) {
        let l = layout
        guard case .normal = mode, !comparing, !classroom else { return }
        if x < l.listWidth, y >= l.listTop, y < l.listTop + l.listRows {
            let i = document.scroll + (y - l.listTop)
            if i < document.model.layers.count {
                document.selection = i
                focus = .list
                clampField()
            }
        } else if x >= l.listWidth, y >= l.formTop, y < l.formTop + formRows.count {
            focus = .form
            document.field = y - l.formTop
        }
    }

    mutating func toggleCurrent() {
        guard let layer = shownLayer else { return }
        var new = layer
        switch currentRow {
        case .trainable?: new.trainable.toggle()
        case .field(let spec)? where spec.type == .flag:
            let current = (try? layer.resolve(previousOutput: document.count.layers[document.selection].received))
                .map { $0.effectiveValue(spec.field, convention: document.model.convention) } == "true"
            new.fields[spec.field] = .bool(!current)
        default:
            message = StatusMessage(kind: .info, text: "Space toggles yes/no fields; press Enter to edit this one")
            return
        }
        apply(.replace(index: document.selection, old: layer, new: new))
    }

    mutating func setCurrent(_ value: FieldValue?, autoOnly: Bool) {
        guard let layer = shownLayer, case .field(let spec)? = currentRow else { return }
        if autoOnly && !spec.isInputWidth {
            message = StatusMessage(kind: .info, text: "Only a layer's input width can be auto; x resets a field to its default")
            return
        }
        if spec.defaultValue == .required && !spec.isInputWidth {
            message = StatusMessage(kind: .error, text: "\(spec.name) has no default: type a value")
            return
        }
        var new = layer
        new.fields[spec.field] = value
        guard new != layer else { return }
        apply(.replace(index: document.selection, old: layer, new: new))
    }

    mutating func startEdit(initial: String?) {
        guard let layer = shownLayer else { return }
        switch currentRow {
        case .name?:
            updateEdit(EditState(target: .name, layer: document.selection, text: initial ?? (layer.name ?? "")))
        case .field(let spec)? where spec.type != .flag:
            var text = initial ?? ""
            if initial == nil, let v = layer.fields[spec.field] {
                text = v == .auto ? "auto" : v.description
            } else if initial == nil, let r = try? layer.resolve(previousOutput: document.count.layers[document.selection].received) {
                text = r.effectiveValue(spec.field, convention: document.model.convention)
                if text.contains("x") && spec.field == .ff { text = "" }
            }
            updateEdit(EditState(target: .field(spec.field), layer: document.selection, text: text))
        default: break
        }
    }

    /// Recounts the model with the typed value on every keystroke.
    mutating func updateEdit(_ edit: EditState) {
        var e = edit
        let layer = document.model.layers[e.layer]
        switch candidate(for: e, layer: layer) {
        case .success(let new):
            var model = document.model
            model.layers[e.layer] = new
            do {
                e.preview = .success(try Counter.recount(model, replacing: e.layer, old: layer, previous: document.count))
            } catch { e.preview = .failure(error) }
        case .failure(let error):
            e.preview = .failure(ModelError(layer: e.layer, of: document.model, error))
        }
        mode = .editing(e)
    }

    func candidate(for e: EditState, layer: Layer) -> Result<Layer, LayerError> {
        var new = layer
        switch e.target {
        case .name:
            let t = e.text.trimmedSpaces
            new.name = t.isEmpty ? nil : t
        case .field(let f):
            guard let spec = Schema.spec(layer.kind, f) else { return .failure(LayerError(f, "is not a field")) }
            switch spec.parse(e.text) {
            case .success(let v):
                if v == nil && spec.defaultValue == .required && !spec.isInputWidth {
                    return .failure(LayerError(f, "is required: type a value"))
                }
                new.fields[f] = v
            case .failure(let err): return .failure(err)
            }
        }
        return .success(new)
    }

    mutating func commitEdit(_ e: EditState) {
        if let error = e.error {
            message = StatusMessage(kind: .error, text: error.message + " (Esc cancels)")
            return
        }
        let layer = document.model.layers[e.layer]
        guard case .success(let new) = candidate(for: e, layer: layer) else { return }
        mode = .normal
        if new != layer { apply(.replace(index: e.layer, old: layer, new: new)) }
    }

    mutating func addLayer(_ kind: LayerKind) {
        mode = .normal
        let i = document.selection
        let width = document.count.layers[i].output
        func divisor(_ n: Int) -> Int { [8, 4, 2, 1].first { n % $0 == 0 } ?? 1 }
        var layer = Layer(kind)
        switch kind {
        case .dense: layer.fields[.out] = .int(max(1, width))
        case .rnn, .gru, .lstm: layer.fields[.hidden] = .int(128)
        case .conv:
            layer.fields[.out] = .int(max(1, width))
            layer.fields[.kernel] = .int(3)
        case .attention, .encoder, .decoder: layer.fields[.heads] = .int(divisor(width))
        case .embedding:
            layer.fields[.vocab] = .int(10_000)
            layer.fields[.dim] = .int(128)
        case .custom: layer.fields[.params] = .int(0)
        case .layernorm, .rmsnorm, .batchnorm: break
        }
        if width == 0, let input = Schema.inputField(of: kind) { layer.fields[input] = .int(64) }
        apply(.insert(index: i + 1, layer: layer))
        focus = .form
        document.field = 1
    }
}

/// Where things go on a screen of a given size; shared by the renderer and by the reducer (for
/// scrolling and mouse clicks).
public struct Layout: Equatable, Sendable {
    public static let minWidth = 60
    public static let minHeight = 16

    public let width: Int
    public let height: Int

    public var tooSmall: Bool { width < Layout.minWidth || height < Layout.minHeight }
    public var paneTop: Int { 1 }
    public var paneHeight: Int { height - 3 }
    public var listWidth: Int { width >= 110 ? width / 2 : width * 53 / 100 }
    public var listTop: Int { paneTop + 1 }
    public var listRows: Int { max(1, paneHeight - 2) }
    public var formLeft: Int { listWidth }
    public var formWidth: Int { width - listWidth }
    public var formTop: Int { paneTop + 1 }
    public var totalsRow: Int { height - 2 }
    public var hintRow: Int { height - 1 }
}
