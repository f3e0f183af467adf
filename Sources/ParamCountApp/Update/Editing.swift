import ParamCountCore

/// A row of the parameter form.
public enum FormRow: Equatable, Sendable {
    case name, trainable
    case field(FieldSpec)

    public static func rows(for kind: LayerKind) -> [FormRow] {
        [.name] + Schema.fields(of: kind).map { .field($0) } + [.trainable]
    }
}

/// The parameter form: moving between fields, typing a value (recounted on every keystroke),
/// toggling yes/no fields and resetting to defaults.
extension AppState {
    mutating func runForm(_ command: Command) {
        switch command {
        case .up: document.field = max(0, document.field - 1)
        case .down: document.field = min(formRows.count - 1, document.field + 1)
        case .top: document.field = 0
        case .bottom: document.field = formRows.count - 1
        case .focusList: focus = .list
        case .edit:
            if case .trainable? = currentRow { toggleCurrent() }
            else if case .field(let spec)? = currentRow, spec.type == .flag { toggleCurrent() }
            else { startEdit(initial: nil) }
        case .toggle: toggleCurrent()
        case .setAuto: setCurrent(nil, autoOnly: true)
        case .resetField: setCurrent(nil, autoOnly: false)
        case .derivationUp: scrollDerivation(-max(1, (derivationPanel?.rows ?? 2) - 1))
        case .derivationDown: scrollDerivation(max(1, (derivationPanel?.rows ?? 2) - 1))
        default: break
        }
    }

    mutating func runEditing(_ command: Command, _ edit: EditState) {
        var e = edit
        var back = cursorBack
        if TextEntry.apply(command, text: &e.text, back: &back) {
            if e.text != edit.text { updateEdit(e) }
            cursorBack = back
            return
        }
        switch command {
        case .cancel: mode = .normal
        case .commit: commitEdit(e)
        default: break
        }
    }

    /// The layer of row `i` of the active document with the typed value applied when it is valid:
    /// what every figure on screen follows while typing.
    func previewLayer(_ i: Int) -> Layer {
        guard let layer = document.layer(row: i) else { return Layer(.custom) }
        guard let e = editing, e.path == document.rows[i].path, e.error == nil,
              case .success(let new) = candidate(for: e, layer: layer) else {
            return layer
        }
        return new
    }

    var formRows: [FormRow] { shownLayer.map { FormRow.rows(for: $0.kind) } ?? [] }

    var currentRow: FormRow? {
        let rows = formRows
        return rows.indices.contains(document.field) ? rows[document.field] : nil
    }

    mutating func clampField() {
        document.field = max(0, min(document.field, formRows.count - 1))
    }

    mutating func toggleCurrent() {
        guard let layer = shownLayer else { return }
        var new = layer
        switch currentRow {
        case .trainable?: new.trainable.toggle()
        case .field(let spec)? where spec.type == .flag:
            new.fields[spec.field] = .bool(!flag(spec, of: layer))
        default:
            message = StatusMessage(kind: .info, text: "Space toggles yes/no fields; press Enter to edit this one")
            return
        }
        apply(.replace(path: document.selectedPath, old: layer, new: new))
    }

    /// A yes/no field's value: as set, else its default; a default that follows other fields is
    /// read from the resolved layer.
    func flag(_ spec: FieldSpec, of layer: Layer) -> Bool {
        if case .bool(let b)? = layer.fields[spec.field] { return b }
        if case .value(.bool(let b)) = spec.defaultValue { return b }
        return (try? layer.resolve(previousOutput: selectedReceived, shape: selectedShape))
            .map { Bool($0.effectiveValue(spec.field, convention: document.model.convention)) ?? false } ?? false
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
        apply(.replace(path: document.selectedPath, old: layer, new: new))
    }

    mutating func startEdit(initial: String?) {
        guard let layer = shownLayer else { return }
        switch currentRow {
        case .name?:
            updateEdit(EditState(target: .name, path: document.selectedPath, text: initial ?? (layer.name ?? "")))
        case .field(let spec)? where spec.type != .flag:
            var text = initial ?? ""
            if initial == nil, let v = layer.fields[spec.field] {
                text = v == .auto ? "auto" : v.description
            } else if initial == nil, let r = try? layer.resolve(previousOutput: selectedReceived, shape: selectedShape) {
                text = r.effectiveValue(spec.field, convention: document.model.convention)
                // A default that is a rule, not a number (the textbook's x·x + x), starts empty.
                if spec.type != .kernel && Int(text) == nil && !text.hasPrefix("[") { text = "" }
            }
            updateEdit(EditState(target: .field(spec.field), path: document.selectedPath, text: text))
        default: break
        }
    }

    /// Recounts the model with the typed value on every keystroke.
    mutating func updateEdit(_ edit: EditState) {
        var e = edit
        if e.target == .input {
            // The whole model follows the typed shape: every layer's shape, the widths after a
            // flatten, the MACs.
            switch Shape.parse(e.text) {
            case .success(let dims):
                var model = document.model
                Change.input(old: model.input, new: dims).apply(to: &model)
                do { e.preview = .success(try Counter.count(model)) } catch { e.preview = .failure(error) }
            case .failure(let error): e.preview = .failure(ModelError(field: "input", error.message))
            }
            mode = .editing(e)
            return
        }
        guard let layer = document.model.layer(at: e.path) else { return }
        switch candidate(for: e, layer: layer) {
        case .success(let new):
            var model = document.model
            let change = Change.replace(path: e.path, old: layer, new: new)
            change.apply(to: &model)
            do {
                e.preview = .success(try Document.recount(model, after: change, from: document.model, previous: document.count))
            } catch { e.preview = .failure(error) }
        case .failure(let error):
            var located = ModelError(layer: e.path.topIndex ?? 0, of: document.model, error)
            if e.path.steps.count > 1 { located.layerName = layer.name }
            e.preview = .failure(located)
        }
        mode = .editing(e)
    }

    func candidate(for e: EditState, layer: Layer) -> Result<Layer, LayerError> {
        var new = layer
        switch e.target {
        case .name:
            let t = e.text.trimmedSpaces
            new.name = t.isEmpty ? nil : t
        case .input: break
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
            message = StatusMessage(kind: .error, text: (e.target == .input ? error.description : error.message) + " (Esc cancels)")
            return
        }
        if e.target == .input {
            mode = .normal
            guard case .success(let dims) = Shape.parse(e.text), dims != document.model.input else { return }
            apply(.input(old: document.model.input, new: dims))
            return
        }
        guard let layer = document.model.layer(at: e.path), case .success(let new) = candidate(for: e, layer: layer) else { return }
        mode = .normal
        if new != layer { apply(.replace(path: e.path, old: layer, new: new)) }
    }
}
