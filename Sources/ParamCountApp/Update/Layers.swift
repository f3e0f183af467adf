import ParamCountCore

/// The layer list: moving the selection, and adding, deleting, duplicating and moving layers.
extension AppState {
    mutating func runList(_ command: Command) {
        let n = document.model.layers.count
        switch command {
        case .up: moveSelection(-1)
        case .down: moveSelection(1)
        case .pageUp: moveSelection(-max(1, listRows - 1))
        case .pageDown: moveSelection(max(1, listRows - 1))
        case .top: moveSelection(-n)
        case .bottom: moveSelection(n)
        case .focusForm: focus = .form
        case .addLayer: mode = .picker(selection: LayerKind.allCases.firstIndex(of: .dense)!)
        case .deleteLayer:
            guard n > 1 else {
                message = StatusMessage(kind: .error, text: "A model needs at least one layer")
                return
            }
            let i = document.selection
            if i == 0, let fixed = firstLayerAfterDeletingFirst() {
                // The next layer inherited its width from the one deleted: give it that width
                // explicitly, then ask for it in the form, instead of refusing the deletion.
                apply(.replace(index: 1, old: document.model.layers[1], new: fixed.layer))
                apply(.remove(index: 0, layer: document.model.layers[0]))
                document.selection = 0
                focus = .form
                if let row = formRows.firstIndex(where: { if case .field(let spec) = $0 { return spec.field == fixed.field } else { return false } }) {
                    document.field = row
                    startEdit(initial: nil)
                }
                message = StatusMessage(kind: .info, text: "Layer 1 used to inherit its \(fixed.field.rawValue) (\(fixed.width)): type its width, Enter keeps it")
                return
            }
            apply(.remove(index: i, layer: document.model.layers[i]))
            document.selection = min(i, document.model.layers.count - 1)
        case .duplicateLayer:
            let i = document.selection
            var copy = document.model.layers[i]
            if let name = copy.name { copy.name = name + " copy" }
            apply(.insert(index: i + 1, layer: copy))
        case .moveLayerUp where document.selection > 0:
            apply(.move(from: document.selection, to: document.selection - 1))
        case .moveLayerDown where document.selection + 1 < n:
            apply(.move(from: document.selection, to: document.selection + 1))
        case .derivationUp: scrollDerivation(-max(1, (derivationPanel?.rows ?? classroomSteps?.rows ?? 2) - 1))
        case .derivationDown: scrollDerivation(max(1, (derivationPanel?.rows ?? classroomSteps?.rows ?? 2) - 1))
        default: break
        }
    }

    /// When the second layer inherits its input width, the width it would need as the new first
    /// layer: the one it receives today.
    func firstLayerAfterDeletingFirst() -> (layer: Layer, field: Field, width: Int)? {
        guard document.model.layers.count > 1, let field = Schema.inputField(of: document.model.layers[1].kind) else { return nil }
        var next = document.model.layers[1]
        switch next.fields[field] {
        case nil, .auto?: break
        default: return nil
        }
        let width = document.count.layers[1].input
        guard width > 0 else { return nil }
        next.fields[field] = .int(width)
        return (next, field, width)
    }

    /// Rows of the list on the current screen.
    var listRows: Int {
        switch screen {
        case .editor: return layout.listRows
        case .compare: return compareLayout.listRows
        case .classroom: return classroomLayout.listRows
        case .planner: return layout.listRows
        }
    }

    mutating func moveSelection(_ delta: Int) {
        let n = document.model.layers.count
        let before = document.selection
        document.selection = max(0, min(n - 1, document.selection + delta))
        if document.selection != before {
            updateClassroom { $0.revealed = 1 }
            derivationScroll = 0
        }
        clampField()
        keepSelectionVisible()
    }

    /// Scrolls the current screen's list so the selection shows.
    mutating func keepSelectionVisible() {
        if case .compare = screen { return keepCompareSelectionVisible() }
        let rows = max(1, listRows)
        if document.selection < document.scroll { document.scroll = document.selection }
        if document.selection >= document.scroll + rows { document.scroll = document.selection - rows + 1 }
        document.scroll = max(0, min(document.scroll, max(0, document.model.layers.count - rows)))
    }

    mutating func addLayer(_ kind: LayerKind) {
        mode = .normal
        let i = document.selection
        let width = document.count.layers[i].output
        let layer = kind.newLayer(below: width)
        apply(.insert(index: i + 1, layer: layer))
        focus = .form
        document.field = 1
    }
}
