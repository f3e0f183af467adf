import ParamCountCore

/// The layer list: moving the selection, and adding, deleting, duplicating and moving layers.
extension AppState {
    mutating func runList(_ command: Command) {
        let n = document.rows.count
        let path = document.selectedPath
        switch command {
        case .up: moveSelection(-1)
        case .down: moveSelection(1)
        case .pageUp: moveSelection(-max(1, listRows - 1))
        case .pageDown: moveSelection(max(1, listRows - 1))
        case .top: moveSelection(-n)
        case .bottom: moveSelection(n)
        case .focusForm:
            // On a folded group or parallel, Enter and → unfold it first, as in a file tree.
            if isContainer(path) && !document.isOpen(path) { setOpen(path, true) } else { focus = .form }
        case .fold:
            if isContainer(path) && document.isOpen(path) { setOpen(path, false) }
            else if let parent = path.parent { setOpen(parent, false) }
        case .toggleFold:
            if isContainer(path) { setOpen(path, !document.isOpen(path)) }
            else if let parent = path.parent { setOpen(parent, false) }
        case .toggleAllFolds:
            document.setAllOpen(document.open.isEmpty)
            keepSelectionVisible()
        case .addLayer: mode = .picker(selection: LayerKind.allCases.firstIndex(of: .dense)!)
        case .deleteLayer:
            guard document.model.layers.count > 1 || path.steps.count > 1 else {
                message = StatusMessage(kind: .error, text: "A model needs at least one layer")
                return
            }
            if path == LayerPath(0), let fixed = firstLayerAfterDeletingFirst() {
                // The next layer inherited its width from the one deleted: give it that width
                // explicitly, then ask for it in the form, instead of refusing the deletion.
                apply(.replace(index: 1, old: document.model.layers[1], new: fixed.layer))
                apply(.remove(index: 0, layer: document.model.layers[0]))
                focus = .form
                if let row = formRows.firstIndex(where: { if case .field(let spec) = $0 { return spec.field == fixed.field } else { return false } }) {
                    document.field = row
                    startEdit(initial: nil)
                }
                message = StatusMessage(kind: .info, text: "Layer 1 used to inherit its \(fixed.field.rawValue) (\(fixed.width)): type its width, Enter keeps it")
                return
            }
            guard let layer = document.model.layer(at: path) else { return }
            apply(.remove(path: path, layer: layer))
        case .duplicateLayer:
            guard var copy = document.model.layer(at: path) else { return }
            if let name = copy.name { copy.name = name + " copy" }
            apply(.insert(path: path.sibling(path.index + 1), layer: copy))
        case .moveLayerUp: moveLayer(up: true)
        case .moveLayerDown: moveLayer(up: false)
        case .derivationUp: scrollDerivation(-max(1, (derivationPanel?.rows ?? classroomSteps?.rows ?? 2) - 1))
        case .derivationDown: scrollDerivation(max(1, (derivationPanel?.rows ?? classroomSteps?.rows ?? 2) - 1))
        default: break
        }
    }

    func isContainer(_ path: LayerPath) -> Bool {
        guard let kind = document.model.layer(at: path)?.kind else { return false }
        return kind == .group || kind == .parallel
    }

    mutating func setOpen(_ path: LayerPath, _ open: Bool) {
        document.setOpen(path, open)
        clampField()
        keepSelectionVisible()
    }

    /// K and J: swap with the neighbour in the same list; at the edge of a group, step out of it;
    /// onto an unfolded group below, step into it as its first layer.
    mutating func moveLayer(up: Bool) {
        let path = document.selectedPath
        let count = siblings(of: path)
        if up {
            if path.index > 0 {
                apply(.move(from: path, to: path.sibling(path.index - 1)))
            } else if let parent = path.parent, document.model.layer(at: parent)?.kind == .group {
                apply(.move(from: path, to: parent))             // out, before its group
            }
        } else {
            let next = path.sibling(path.index + 1)
            if path.index + 1 < count {
                if let below = document.model.layer(at: next), below.kind == .group, document.isOpen(next) {
                    // Into the open group below: after removal it sits where `path` was.
                    apply(.move(from: path, to: path.appending(.layer(0))))
                } else {
                    apply(.move(from: path, to: next))
                }
            } else if let parent = path.parent, document.model.layer(at: parent)?.kind == .group {
                apply(.move(from: path, to: parent.sibling(parent.index + 1)))   // out, after its group
            }
        }
    }

    /// How many layers share the list `path` is in.
    func siblings(of path: LayerPath) -> Int {
        guard let parent = path.parent, let container = document.model.layer(at: parent) else { return document.model.layers.count }
        switch path.steps.last {
        case .branch(let b, _)?: return container.branches.indices.contains(b) ? container.branches[b].count : 0
        default: return container.body.count
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
        let n = document.rows.count
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
        document.scroll = max(0, min(document.scroll, max(0, document.rows.count - rows)))
    }

    /// A layer of `kind` below the selected one, in the same list (inside its group when the
    /// selection is inside one).
    mutating func addLayer(_ kind: LayerKind) {
        mode = .normal
        let path = document.selectedPath
        let width = document.count.layerCount(at: path)?.output ?? 0
        let layer = kind.newLayer(below: width)
        apply(.insert(path: path.sibling(path.index + 1), layer: layer))
        focus = .form
        document.field = 1
    }
}
