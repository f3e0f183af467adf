import ParamCountCore
import ParamCountFiles

/// One reversible change to a model, addressed by the path of the layer in the model's tree. Undo
/// keeps these, not copies of the model, so a long history of a 100,000-layer model costs a few
/// bytes per step.
public enum Change: Equatable, Sendable {
    case replace(path: LayerPath, old: Layer, new: Layer)
    case insert(path: LayerPath, layer: Layer)
    case remove(path: LayerPath, layer: Layer)
    /// Takes the layer out at `from`, then puts it in at `to` (a path in the model without it), so
    /// a layer can move within a list or in and out of a group.
    case move(from: LayerPath, to: LayerPath)
    case convention(old: Convention, new: Convention)
    /// The model's input shape set, changed or taken away.
    case input(old: [Int]?, new: [Int]?)
    /// The whole model replaced (unsaved edits restored from a recovery file).
    case model(old: Model, new: Model)

    /// The same change addressed by top-level index, for flat models and tests.
    public static func replace(index: Int, old: Layer, new: Layer) -> Change { .replace(path: LayerPath(index), old: old, new: new) }
    public static func insert(index: Int, layer: Layer) -> Change { .insert(path: LayerPath(index), layer: layer) }
    public static func remove(index: Int, layer: Layer) -> Change { .remove(path: LayerPath(index), layer: layer) }
    public static func move(from: Int, to: Int) -> Change { .move(from: LayerPath(from), to: LayerPath(to)) }

    var inverse: Change {
        switch self {
        case .replace(let p, let old, let new): return .replace(path: p, old: new, new: old)
        case .insert(let p, let l): return .remove(path: p, layer: l)
        case .remove(let p, let l): return .insert(path: p, layer: l)
        case .move(let from, let to): return .move(from: to, to: from)
        case .convention(let old, let new): return .convention(old: new, new: old)
        case .input(let old, let new): return .input(old: new, new: old)
        case .model(let old, let new): return .model(old: new, new: old)
        }
    }

    func apply(to model: inout Model) {
        switch self {
        case .replace(let p, _, let new): model.replace(at: p, with: new)
        case .insert(let p, let l): model.insert(l, at: p)
        case .remove(let p, _): _ = model.remove(at: p)
        case .move(let from, let to):
            let l = model.remove(at: from)
            model.insert(l, at: to)
        case .convention(_, let new): model.convention = new
        case .input(_, let new): model.input = new
        case .model(_, let new): model = new
        }
    }

    /// Where the selection should go after this change is applied.
    var focus: LayerPath? {
        switch self {
        case .replace(let p, _, _), .insert(let p, _), .remove(let p, _): return p
        case .move(_, let to): return to
        case .convention, .input, .model: return nil
        }
    }
}

/// A model open in the editor, with its file, history and last valid count.
public struct Document: Equatable, Sendable {
    public var model: Model
    /// Where it saves; nil for a preset or a new model (save asks for a name).
    public var path: String?
    /// What the title shows: the file name or `preset:NAME`.
    public var origin: String
    public var count: ModelCount
    public var undoStack: [(id: Int, change: Change)] = []
    public var redoStack: [(id: Int, change: Change)] = []
    var nextChangeID = 1
    var savedVersion = 0
    public var dtype: DType = .fp32
    /// The selected row of the layer list (an index into `rows`).
    public var selection = 0
    /// Groups and parallels shown unfolded. A model opens with every one folded, so a Llama is
    /// five rows until its layers are opened.
    public private(set) var open: Set<LayerPath> = []
    /// The rows of the layer list: the tree walked through the unfolded groups.
    public private(set) var rows: [TreeRow] = []
    public var scroll = 0
    public var field = 0
    /// What a checkpoint's headers said (its rows' tensors, dtypes, metadata), for the form; nil
    /// for other models.
    public var checkpoint: Checkpoint?

    public init(model: Model, path: String?, origin: String, checkpoint: Checkpoint? = nil) throws(ModelError) {
        self.model = model
        self.path = path
        self.origin = origin
        self.checkpoint = checkpoint
        self.count = try Counter.count(model)
        rows = TreeRow.rows(of: model, open: open)
    }

    /// A model as it was loaded: saved where it came from if its format is paramcount's.
    public init(_ loaded: LoadedModel, origin: String) throws(ModelError) {
        try self.init(model: loaded.model, path: loaded.saveTarget?.path, origin: origin, checkpoint: loaded.checkpoint)
    }

    public var version: Int { undoStack.last?.id ?? 0 }
    public var isModified: Bool { version != savedVersion }
    public mutating func markSaved() { savedVersion = version }

    public static func == (a: Document, b: Document) -> Bool {
        a.model == b.model && a.path == b.path && a.origin == b.origin && a.version == b.version
            && a.savedVersion == b.savedVersion && a.selection == b.selection && a.field == b.field
            && a.dtype == b.dtype && a.scroll == b.scroll && a.checkpoint == b.checkpoint && a.open == b.open
            && a.undoStack.map(\.id) == b.undoStack.map(\.id) && a.redoStack.map(\.id) == b.redoStack.map(\.id)
    }

    /// Applies a change if the model still counts afterwards; returns the error otherwise and leaves
    /// the document as it was.
    @discardableResult
    public mutating func perform(_ change: Change) -> ModelError? {
        var candidate = model
        change.apply(to: &candidate)
        do {
            count = try Document.recount(candidate, after: change, from: model, previous: count)
        } catch { return error }
        model = candidate
        undoStack.append((nextChangeID, change))
        nextChangeID += 1
        redoStack.removeAll()
        settle(after: change)
        return nil
    }

    public mutating func undo() -> Bool {
        guard let (id, change) = undoStack.popLast() else { return false }
        let before = model
        change.inverse.apply(to: &model)
        count = (try? Document.recount(model, after: change.inverse, from: before, previous: count)) ?? count
        redoStack.append((id, change))
        settle(after: change.inverse)
        return true
    }

    public mutating func redo() -> Bool {
        guard let (id, change) = redoStack.popLast() else { return false }
        let before = model
        change.apply(to: &model)
        count = (try? Document.recount(model, after: change, from: before, previous: count)) ?? count
        undoStack.append((id, change))
        settle(after: change)
        return true
    }

    /// A replacement recounts from its top-level item on; anything else counts again.
    static func recount(_ model: Model, after change: Change, from old: Model, previous: ModelCount) throws(ModelError) -> ModelCount {
        if case .replace(let path, _, _) = change, let top = path.topIndex, old.layers.indices.contains(top) {
            return try Counter.recount(model, replacing: top, old: old.layers[top], previous: previous)
        }
        return try Counter.count(model)
    }

    /// After a change: fold state follows the layers that moved, the rows are rebuilt, and the
    /// selection goes to the changed layer (its groups opened so it can be seen).
    mutating func settle(after change: Change) {
        switch change {
        case .insert(let p, _): open = Set(open.compactMap { $0.afterInserting(at: p) })
        case .remove(let p, _): open = Set(open.compactMap { $0.afterRemoving(at: p) })
        case .move(let from, let to):
            let moved = open.filter { $0.hasPrefix(from) }
            open = Set(open.subtracting(moved).compactMap { $0.afterRemoving(at: from) }.compactMap { $0.afterInserting(at: to) })
            open.formUnion(moved.map { to.appending($0.steps.dropFirst(from.steps.count)) })
        case .replace(let p, _, let new):
            // A layer that stopped being a group or parallel keeps no fold state below it.
            if new.kind != .group && new.kind != .parallel { open = open.filter { !$0.hasPrefix(p) || $0 == p } }
        case .convention, .input: break
        case .model: open = []
        }
        if let focus = change.focus {
            var target = focus
            // A removed layer: select what now sits there, or the one before it.
            if case .remove = change, model.layer(at: target) == nil {
                target = target.previousSibling ?? target.parent ?? LayerPath(0)
            }
            for ancestor in target.ancestors { open.insert(ancestor) }
            rows = TreeRow.rows(of: model, open: open)
            select(target)
        } else {
            rows = TreeRow.rows(of: model, open: open)
            selection = min(max(0, selection), max(0, rows.count - 1))
        }
    }

    // MARK: the tree as rows

    /// The path of the selected row.
    public var selectedPath: LayerPath { rows.indices.contains(selection) ? rows[selection].path : LayerPath(0) }

    /// The layer of a row.
    public func layer(row: Int) -> Layer? {
        rows.indices.contains(row) ? model.layer(at: rows[row].path) : nil
    }

    /// Selects the row of `path`, if it is shown.
    public mutating func select(_ path: LayerPath) {
        if let i = rows.firstIndex(where: { $0.path == path }) { selection = i }
        selection = min(max(0, selection), max(0, rows.count - 1))
    }

    public func isOpen(_ path: LayerPath) -> Bool { open.contains(path) }

    /// Folds or unfolds a group or parallel; the selection stays on the same layer.
    public mutating func setOpen(_ path: LayerPath, _ isOpen: Bool) {
        let selected = selectedPath
        if isOpen { open.insert(path) } else { open = open.filter { !$0.hasPrefix(path) } }
        rows = TreeRow.rows(of: model, open: open)
        select(selected.hasPrefix(path) && !isOpen ? path : selected)
    }

    /// The same groups unfolded and the same row selected as `other` (a copy of the same model).
    mutating func adoptFolds(of other: Document) {
        open = other.open
        rows = TreeRow.rows(of: model, open: open)
        selection = min(other.selection, max(0, rows.count - 1))
    }

    /// Unfolds every group and parallel, or folds them all.
    public mutating func setAllOpen(_ isOpen: Bool) {
        let selected = selectedPath
        open = isOpen ? Set(TreeRow.containers(of: model)) : []
        rows = TreeRow.rows(of: model, open: open)
        select(isOpen ? selected : LayerPath(selected.topIndex ?? 0))
    }
}

/// A row of the layer list: a layer somewhere in the model's tree.
public struct TreeRow: Equatable, Sendable {
    public let path: LayerPath
    /// How far it is indented: 0 at the top level.
    public let depth: Int
    /// The branch of a parallel whose first layer this row is, if any (shown as a mark).
    public let branchStart: Int?
    /// How many times the enclosing groups repeat it (their repeats multiplied), 1 at the top.
    public let repeated: Int

    /// The visible rows: every layer of the top level, and inside the unfolded groups and parallels.
    static func rows(of model: Model, open: Set<LayerPath>) -> [TreeRow] {
        var out: [TreeRow] = []
        out.reserveCapacity(model.layers.count)
        func walk(_ layers: [Layer], parent: LayerPath?, branch: Int?, depth: Int, repeated: Int) {
            for (i, layer) in layers.enumerated() {
                let path = parent.map { p in branch.map { p.appending(.branch($0, i)) } ?? p.appending(.layer(i)) } ?? LayerPath(i)
                out.append(TreeRow(path: path, depth: depth, branchStart: i == 0 ? branch : nil, repeated: repeated))
                guard open.contains(path) else { continue }
                if layer.kind == .group {
                    let times = layer.repeatCount
                    walk(layer.body, parent: path, branch: nil, depth: depth + 1,
                         repeated: repeated.multipliedReportingOverflow(by: times).overflow ? Int.max : repeated * times)
                } else if layer.kind == .parallel {
                    for (b, branchLayers) in layer.branches.enumerated() {
                        walk(branchLayers, parent: path, branch: b, depth: depth + 1, repeated: repeated)
                    }
                }
            }
        }
        walk(model.layers, parent: nil, branch: nil, depth: 0, repeated: 1)
        return out
    }

    /// Every group and parallel in the model.
    static func containers(of model: Model) -> [LayerPath] {
        var out: [LayerPath] = []
        model.forEachLayer { path, layer in
            if layer.kind == .group || layer.kind == .parallel { out.append(path) }
        }
        return out
    }
}

extension Layer {
    /// A group's `repeat`, 1 when unset or not a group.
    var repeatCount: Int {
        if case .int(let n)? = fields[.repeat] { return max(1, n) }
        return 1
    }
}

/// Path arithmetic the editor needs: parents, siblings, and how paths shift when a list changes.
extension LayerPath {
    init(_ top: Int) { self.init([.layer(top)]) }

    var ancestors: [LayerPath] {
        (1..<max(1, steps.count)).map { LayerPath(Array(steps.prefix($0))) }
    }

    func appending<S: Sequence>(_ more: S) -> LayerPath where S.Element == Step { LayerPath(steps + Array(more)) }

    func hasPrefix(_ p: LayerPath) -> Bool { steps.count >= p.steps.count && Array(steps.prefix(p.steps.count)) == p.steps }

    /// Index within its list.
    var index: Int {
        switch steps.last {
        case .layer(let i)?: return i
        case .branch(_, let i)?: return i
        case nil: return 0
        }
    }

    /// The same list, another index.
    func sibling(_ index: Int) -> LayerPath {
        var s = steps
        switch s.last {
        case .layer?: s[s.count - 1] = .layer(index)
        case .branch(let b, _)?: s[s.count - 1] = .branch(b, index)
        case nil: return LayerPath(index)
        }
        return LayerPath(s)
    }

    var previousSibling: LayerPath? { index > 0 ? sibling(index - 1) : nil }

    /// Whether `other` addresses a layer in the same list as this one.
    func isSibling(of other: LayerPath) -> Bool {
        guard steps.count == other.steps.count, steps.dropLast() == other.steps.dropLast() else { return false }
        switch (steps.last, other.steps.last) {
        case (.layer?, .layer?): return true
        case (.branch(let a, _)?, .branch(let b, _)?): return a == b
        default: return false
        }
    }

    /// This path after a layer is inserted at `p`; the same layer, shifted if it came after.
    func afterInserting(at p: LayerPath) -> LayerPath? {
        let n = p.steps.count
        guard steps.count >= n else { return self }
        let mine = LayerPath(Array(steps.prefix(n)))
        guard mine.isSibling(of: p), mine.index >= p.index else { return self }
        return mine.sibling(mine.index + 1).appending(steps.dropFirst(n))
    }

    /// This path after the layer at `p` is removed; nil when it was that layer or inside it.
    func afterRemoving(at p: LayerPath) -> LayerPath? {
        let n = p.steps.count
        guard steps.count >= n else { return self }
        let mine = LayerPath(Array(steps.prefix(n)))
        guard mine.isSibling(of: p) else { return self }
        if mine.index == p.index { return nil }
        if mine.index < p.index { return self }
        return mine.sibling(mine.index - 1).appending(steps.dropFirst(n))
    }
}
