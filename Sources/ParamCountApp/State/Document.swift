import ParamCountCore
import ParamCountFiles

/// One reversible change to a model. Undo keeps these, not copies of the model, so a long history
/// of a 100,000-layer model costs a few bytes per step.
public enum Change: Equatable, Sendable {
    case replace(index: Int, old: Layer, new: Layer)
    case insert(index: Int, layer: Layer)
    case remove(index: Int, layer: Layer)
    case move(from: Int, to: Int)
    case convention(old: Convention, new: Convention)
    /// The whole model replaced (unsaved edits restored from a recovery file).
    case model(old: Model, new: Model)

    var inverse: Change {
        switch self {
        case .replace(let i, let old, let new): return .replace(index: i, old: new, new: old)
        case .insert(let i, let l): return .remove(index: i, layer: l)
        case .remove(let i, let l): return .insert(index: i, layer: l)
        case .move(let from, let to): return .move(from: to, to: from)
        case .convention(let old, let new): return .convention(old: new, new: old)
        case .model(let old, let new): return .model(old: new, new: old)
        }
    }

    func apply(to model: inout Model) {
        switch self {
        case .replace(let i, _, let new): model.layers[i] = new
        case .insert(let i, let l): model.layers.insert(l, at: i)
        case .remove(let i, _): model.layers.remove(at: i)
        case .move(let from, let to): model.layers.swapAt(from, to)
        case .convention(_, let new): model.convention = new
        case .model(_, let new): model = new
        }
    }

    /// Where the selection should go after this change is applied.
    var focusIndex: Int? {
        switch self {
        case .replace(let i, _, _), .insert(let i, _): return i
        case .remove(let i, _): return i
        case .move(_, let to): return to
        case .convention, .model: return nil
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
    public var selection = 0
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
            && a.dtype == b.dtype && a.scroll == b.scroll && a.checkpoint == b.checkpoint
            && a.undoStack.map(\.id) == b.undoStack.map(\.id) && a.redoStack.map(\.id) == b.redoStack.map(\.id)
    }

    /// Applies a change if the model still counts afterwards; returns the error otherwise and leaves
    /// the document as it was.
    @discardableResult
    public mutating func perform(_ change: Change) -> ModelError? {
        var candidate = model
        change.apply(to: &candidate)
        do {
            if case .replace(let i, let old, _) = change {
                count = try Counter.recount(candidate, replacing: i, old: old, previous: count)
            } else {
                count = try Counter.count(candidate)
            }
        } catch { return error }
        model = candidate
        undoStack.append((nextChangeID, change))
        nextChangeID += 1
        redoStack.removeAll()
        if let i = change.focusIndex { selection = min(max(0, i), model.layers.count - 1) }
        return nil
    }

    public mutating func undo() -> Bool {
        guard let (id, change) = undoStack.popLast() else { return false }
        change.inverse.apply(to: &model)
        count = (try? Counter.count(model)) ?? count
        redoStack.append((id, change))
        if let i = change.inverse.focusIndex { selection = min(max(0, i), model.layers.count - 1) }
        return true
    }

    public mutating func redo() -> Bool {
        guard let (id, change) = redoStack.popLast() else { return false }
        change.apply(to: &model)
        count = (try? Counter.count(model)) ?? count
        undoStack.append((id, change))
        if let i = change.focusIndex { selection = min(max(0, i), model.layers.count - 1) }
        return true
    }
}
