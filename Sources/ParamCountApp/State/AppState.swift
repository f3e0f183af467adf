import ParamCountCore

public enum Focus: Equatable, Sendable { case list, form }

/// A value being typed into the form.
public struct EditState: Equatable, Sendable {
    public enum Target: Equatable, Sendable {
        case field(Field)
        case name
        /// The model's input shape (a model-wide value, not the layer at `path`).
        case input
    }
    public var target: Target
    /// The layer being edited, wherever it is in the tree.
    public var path: LayerPath
    public var text: String
    /// The count of the model with the typed value, or why the value is not valid.
    public var preview: Result<ModelCount, ModelError>?

    public var error: ModelError? {
        if case .failure(let e)? = preview { return e }
        return nil
    }

    /// The error as the form shows it under the typed value: its message when it is about the
    /// layer being edited, else with the place it is about (a stride typed here can leave a layer
    /// further down with no room).
    public var errorText: String? {
        guard let e = error else { return nil }
        if let path = e.path, path != self.path { return e.description }
        return e.message
    }
}

public enum PromptPurpose: Equatable, Sendable { case saveAs, saveAndQuit, open, compare }

public enum Question: Equatable, Sendable {
    /// The active model has unsaved changes and another is about to replace it.
    case discardBeforeOpen
    /// "Save as" named a file that exists.
    case overwrite(path: String, side: Int, quitAfter: Bool)
    /// A session that was stopped left unsaved edits of this side in `recovery`.
    case restore(recovery: String, side: Int)
}

public enum Mode: Equatable, Sendable {
    case normal
    case editing(EditState)
    case help(scroll: Int)
    case picker(selection: Int)
    case confirmQuit
    /// A yes/no question about a file: answered before anything is lost or overwritten.
    case ask(Question)
    case prompt(PromptPurpose, text: String)
}

public struct StatusMessage: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case info, error }
    public var kind: Kind
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// The classroom's own settings: they exist only while the classroom screen is shown.
public struct ClassroomSettings: Equatable, Sendable {
    /// The light variant of the classroom theme, for bright rooms.
    public var light = false
    /// How many lines of the step-by-step derivation are revealed.
    public var revealed = 1

    public init(light: Bool = false, revealed: Int = 1) {
        self.light = light
        self.revealed = revealed
    }
}

/// The screen under any overlay. One value, so two screens can never both claim the terminal:
/// comparing needs two documents, and the classroom shows one or both of them its own way.
public enum ScreenKind: Equatable, Sendable {
    case editor
    case compare
    case classroom(ClassroomSettings)
    /// Memory and compute: what it takes to run or train the model, and what it fits on.
    case planner
}

public struct AppState: Equatable, Sendable {
    /// One model, or two (A and B) when comparing. Changed only through `openSideB`/`closeSide`,
    /// which keep `screen` in step.
    public private(set) var documents: [Document]
    /// The side the keys act on.
    public var active = 0
    public var focus: Focus = .list
    public private(set) var screen: ScreenKind = .editor
    /// First aligned row shown when comparing.
    public var compareScroll = 0
    /// Lines of the selected layer's derivation scrolled past (in the classroom's steps: lines back
    /// from the newest step).
    public var derivationScroll = 0
    public var mode: Mode = .normal
    /// Where the cursor is in a typed value or prompt: characters between it and the end.
    public var cursorBack = 0
    public var message: StatusMessage?
    public var width: Int
    public var height: Int
    /// ASCII borders and bars when the locale cannot show UTF-8.
    public var ascii = false
    public var quitRequested = false
    /// The planner's settings, kept while other screens are shown.
    public var planner = PlannerState()

    public init(document: Document, width: Int = 80, height: Int = 24) {
        self.init(documents: [document], width: width, height: height)
    }

    /// Two documents open side by side; more than two are not shown.
    public init(documents: [Document], width: Int = 80, height: Int = 24, classroom: Bool = false) {
        precondition(!documents.isEmpty, "a state needs a document")
        self.documents = Array(documents.prefix(2))
        self.width = width
        self.height = height
        screen = classroom ? .classroom(ClassroomSettings()) : self.documents.count == 2 ? .compare : .editor
    }

    /// The active side's document.
    public var document: Document {
        get { documents[active] }
        set { documents[active] = newValue }
    }

    /// Changes one side's document in place (its path after a save, say).
    public mutating func update(side: Int, _ change: (inout Document) -> Void) {
        guard documents.indices.contains(side) else { return }
        change(&documents[side])
    }

    /// Replaces the active document (opening another model).
    public mutating func replaceDocument(_ doc: Document) { documents[active] = doc }

    /// Opens `doc` as side B. The classroom stays the classroom (it shows both totals).
    public mutating func openSideB(_ doc: Document) {
        documents = [documents[0], doc]
        active = 0
        if screen == .editor { screen = .compare }
    }

    /// Closes the side that is not active.
    public mutating func closeOtherSide() {
        guard documents.count == 2 else { return }
        documents.remove(at: 1 - active)
        active = 0
        if screen == .compare { screen = .editor }
    }

    public mutating func swapSides() {
        guard documents.count == 2 else { return }
        documents.reverse()
        active = 1 - active
    }

    public mutating func toggleClassroom() {
        if case .classroom = screen {
            screen = documents.count == 2 ? .compare : .editor
        } else {
            screen = .classroom(ClassroomSettings())
        }
    }

    public mutating func togglePlanner() {
        screen = screen == .planner ? (documents.count == 2 ? .compare : .editor) : .planner
    }

    /// Changes the classroom's settings; nothing when the classroom is not shown.
    mutating func updateClassroom(_ change: (inout ClassroomSettings) -> Void) {
        guard case .classroom(var settings) = screen else { return }
        change(&settings)
        screen = .classroom(settings)
    }

    public var comparing: Bool { documents.count == 2 }

    static func sameEntry(_ a: Mode, _ b: Mode) -> Bool {
        switch (a, b) {
        case (.editing(let x), .editing(let y)): return x.path == y.path && x.target == y.target
        case (.prompt(let p, _), .prompt(let q, _)): return p == q
        default: return false
        }
    }

    public var classroom: Bool {
        if case .classroom = screen { return true }
        return false
    }

    public var classroomSettings: ClassroomSettings? {
        if case .classroom(let settings) = screen { return settings }
        return nil
    }

    public var light: Bool { classroomSettings?.light ?? false }
    public var revealed: Int { classroomSettings?.revealed ?? 1 }

    /// The key scopes of the screen under the overlays, for bindings only that screen has. The
    /// classroom with two models keeps the comparison's side keys.
    public var screenScopes: [Scope] {
        switch screen {
        case .editor: return []
        case .compare: return [.compare]
        case .classroom: return comparing ? [.classroom, .compare] : [.classroom]
        case .planner: return comparing ? [.compare] : []
        }
    }

    public var scope: Scope {
        switch mode {
        case .normal:
            if screen == .planner { return planner.typing == nil ? .planner : .editing }
            return focus == .list ? .list : .form
        case .editing: return .editing
        case .help: return .help
        case .picker: return .picker
        case .confirmQuit: return .confirm
        case .ask: return .question
        case .prompt: return .prompt
        }
    }

    public var editing: EditState? {
        if case .editing(let e) = mode { return e }
        return nil
    }

    /// The counts to show: the live preview while a valid value is typed, else the document's.
    public var shownCount: ModelCount {
        if case .success(let c)? = editing?.preview { return c }
        return document.count
    }

    /// True while the typed value is invalid: the counts shown are the last valid ones.
    public var isStale: Bool { editing?.error != nil }

    /// The selected layer as stored in the document (a typed value is applied only in previews).
    public var shownLayer: Layer? { document.layer(row: document.selection) }

    /// The count of the selected layer as shown (the typed value's preview while editing); inside
    /// a group, of one repetition.
    public var shownLayerCount: LayerCount { shownCount.layerCount(at: document.selectedPath) ?? LayerCount() }

    /// What the selected layer receives from above, to resolve it for the form.
    var selectedReceived: Int? { shownCount.layerCount(at: document.selectedPath)?.received }
    /// The shape it reads, when the model has an input shape (a typed input shape's, while typed).
    var selectedShape: Shape? { shownCount.layerCount(at: document.selectedPath)?.shapes?.input }
}
