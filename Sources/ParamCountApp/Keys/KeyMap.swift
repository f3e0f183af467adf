/// What the user asked for. Keys map to commands through `KeyMap`; the reducer only sees commands.
public enum Command: Hashable, Sendable, CaseIterable {
    case up, down, pageUp, pageDown, top, bottom
    case focusForm, focusList, switchFocus
    case edit, toggle, setAuto, resetField, commit, cancel, clearBuffer, backspace
    case addLayer, deleteLayer, duplicateLayer, moveLayerUp, moveLayerDown
    case cycleConvention, cycleDtype, undo, redo
    case save, saveAs, open, quit, help, closeOverlay
    case confirmYes, confirmNo, confirmSave
    case compareWith, compareConventions, closeCompare, switchSide, swapSides
    case toggleClassroom, toggleLight, nextStep, previousStep, revealAll
    case derivationUp, derivationDown
    case fold, toggleFold, toggleAllFolds
    case cursorLeft, cursorRight, cursorHome, cursorEnd, deleteWord, deleteForward, complete
    case togglePlanner, nextValue, previousValue
    case editInput
}

public enum Scope: String, CaseIterable, Sendable {
    case global, list, form, compare, classroom, planner, editing, picker, help, confirm, question, prompt

    public var title: String {
        switch self {
        case .global: return "Anywhere"
        case .list: return "Layer list"
        case .form: return "Parameter form"
        case .compare: return "Comparing two models"
        case .classroom: return "Classroom"
        case .planner: return "Memory and compute planner"
        case .editing: return "Editing a value"
        case .picker: return "Kind picker"
        case .help: return "Help"
        case .confirm: return "Unsaved changes"
        case .question: return "A question about a file"
        case .prompt: return "File name prompt"
        }
    }
}

public struct Binding: Sendable {
    public let keys: [Key]
    public let command: Command
    public let scope: Scope
    public let help: String
    /// Shown on the hint line for its scope.
    public let hint: String?
}

/// Every key binding, declared once. The help overlay, the hint line and the README's key list are
/// generated from it, and a test lints it.
public enum KeyMap {
    private static func b(_ scope: Scope, _ keys: [Key], _ command: Command, _ help: String, hint: String? = nil) -> Binding {
        Binding(keys: keys, command: command, scope: scope, help: help, hint: hint)
    }

    public static let bindings: [Binding] = [
        b(.global, [.char("?"), .ctrl("g")], .help, "show this help", hint: "help"),
        b(.global, [.char("q"), .ctrl("c")], .quit, "quit (asks when there are unsaved changes)", hint: "quit"),
        b(.global, [.char("s"), .ctrl("s")], .save, "save", hint: "save"),
        b(.global, [.char("S")], .saveAs, "save as…"),
        b(.global, [.char("o"), .ctrl("o")], .open, "open a model file or preset:NAME"),
        b(.global, [.char("u"), .ctrl("z")], .undo, "undo", hint: "undo"),
        b(.global, [.ctrl("r"), .ctrl("y")], .redo, "redo"),
        b(.global, [.char("c")], .cycleConvention, "next convention (textbook, pytorch, keras)", hint: "convention"),
        b(.global, [.char("t")], .cycleDtype, "next weight type for the memory figure"),
        b(.global, [.tab, .backTab], .switchFocus, "switch between layer list and form"),
        b(.global, [.char("b")], .compareWith, "compare with another model (opens it as side B)", hint: "compare"),
        b(.global, [.char("=")], .compareConventions, "compare this model with itself under the next convention"),
        b(.global, [.char("T")], .toggleClassroom, "classroom mode: big total, derivation step by step", hint: "classroom"),
        b(.global, [.char("P")], .togglePlanner, "planner: memory, compute and the cards the model fits on", hint: "planner"),
        b(.global, [.char("I")], .editInput, "set the model's input shape (3, 224, 224 or 16 tokens): output shapes and MACs"),

        b(.compare, [.char("w")], .switchSide, "switch the active side (A or B)", hint: "side"),
        b(.compare, [.char("W")], .swapSides, "swap sides A and B"),
        b(.compare, [.char("B")], .closeCompare, "close the other side"),
        b(.compare, [.char("b")], .compareWith, "open another model as side B instead"),

        b(.classroom, [.char("n"), .char(">")], .nextStep, "reveal the next step", hint: "next step"),
        b(.classroom, [.char("N"), .char("<")], .previousStep, "hide the last step"),
        b(.classroom, [.char("r")], .revealAll, "reveal every step"),
        b(.classroom, [.char("L")], .toggleLight, "light or dark theme"),

        b(.planner, [.up, .char("k")], .up, "previous setting"),
        b(.planner, [.down, .char("j")], .down, "next setting"),
        b(.planner, [.home, .char("g")], .top, "first setting"),
        b(.planner, [.end, .char("G")], .bottom, "last setting"),
        b(.planner, [.char(" "), .right, .char("l")], .nextValue, "next value of the setting", hint: "change"),
        b(.planner, [.left, .char("h")], .previousValue, "previous value of the setting"),
        b(.planner, [.enter, .char("e")], .edit, "type a number (context, batch, LoRA rank); on other settings, the next value",
          hint: "edit"),
        b(.planner, [.pageUp, .char("[")], .derivationUp, "scroll the figures up"),
        b(.planner, [.pageDown, .char("]")], .derivationDown, "scroll the figures down"),
        b(.planner, [.escape, .char("P")], .togglePlanner, "back to the editor", hint: "back"),

        b(.list, [.up, .char("k")], .up, "previous layer"),
        b(.list, [.down, .char("j")], .down, "next layer"),
        b(.list, [.pageUp, .ctrl("b")], .pageUp, "page up"),
        b(.list, [.pageDown, .ctrl("f")], .pageDown, "page down"),
        b(.list, [.home, .char("g")], .top, "first layer"),
        b(.list, [.end, .char("G")], .bottom, "last layer"),
        b(.list, [.enter, .right, .char("l")], .focusForm, "unfold a group, or edit the selected layer", hint: "edit"),
        b(.list, [.left, .char("h")], .fold, "fold the group (or the group the layer is in)"),
        b(.list, [.char(" ")], .toggleFold, "fold or unfold the group"),
        b(.list, [.char("z")], .toggleAllFolds, "unfold every group, or fold them all"),
        b(.list, [.char("a"), .char("+")], .addLayer, "add a layer below (pick its kind)", hint: "add"),
        b(.list, [.char("x"), .delete], .deleteLayer, "delete the layer", hint: "delete"),
        b(.list, [.char("y")], .duplicateLayer, "duplicate the layer"),
        b(.list, [.char("K"), .shiftUp], .moveLayerUp, "move the layer up"),
        b(.list, [.char("J"), .shiftDown], .moveLayerDown, "move the layer down"),
        b(.list, [.char("[")], .derivationUp, "scroll the derivation up"),
        b(.list, [.char("]")], .derivationDown, "scroll the derivation down"),

        b(.form, [.up, .char("k")], .up, "previous field"),
        b(.form, [.down, .char("j")], .down, "next field"),
        b(.form, [.home, .char("g")], .top, "first field"),
        b(.form, [.end, .char("G")], .bottom, "last field"),
        b(.form, [.enter, .char("e")], .edit, "edit the value (or toggle a yes/no field)", hint: "edit"),
        b(.form, [.char(" ")], .toggle, "toggle a yes/no field", hint: "toggle"),
        b(.form, [.char("A")], .setAuto, "set the width back to auto (inherit from the layer above)", hint: "auto"),
        b(.form, [.char("x"), .delete], .resetField, "reset the field to its default", hint: "default"),
        b(.form, [.escape, .left, .char("h")], .focusList, "back to the layer list", hint: "back"),
        b(.form, [.pageUp, .wheelUp], .derivationUp, "scroll the derivation up"),
        b(.form, [.pageDown, .wheelDown], .derivationDown, "scroll the derivation down"),

        b(.editing, [.enter], .commit, "keep the value", hint: "keep"),
        b(.editing, [.escape], .cancel, "cancel the edit", hint: "cancel"),
        b(.editing, [.backspace], .backspace, "delete the character before the cursor"),
        b(.editing, [.delete, .ctrl("d")], .deleteForward, "delete the character under the cursor"),
        b(.editing, [.left, .ctrl("b")], .cursorLeft, "move the cursor left"),
        b(.editing, [.right, .ctrl("f")], .cursorRight, "move the cursor right"),
        b(.editing, [.home, .ctrl("a")], .cursorHome, "to the start"),
        b(.editing, [.end, .ctrl("e")], .cursorEnd, "to the end"),
        b(.editing, [.ctrl("w")], .deleteWord, "delete the word before the cursor"),
        b(.editing, [.ctrl("u")], .clearBuffer, "clear the value"),

        b(.picker, [.up, .char("k")], .up, "previous kind"),
        b(.picker, [.down, .char("j")], .down, "next kind"),
        b(.picker, [.enter], .commit, "add a layer of this kind", hint: "add"),
        b(.picker, [.escape, .char("q")], .cancel, "cancel", hint: "cancel"),

        b(.help, [.escape, .char("?"), .char("q"), .enter], .closeOverlay, "close the help", hint: "close"),
        b(.help, [.up, .char("k")], .up, "scroll up"),
        b(.help, [.down, .char("j")], .down, "scroll down"),

        b(.confirm, [.char("s")], .confirmSave, "save, then quit", hint: "save and quit"),
        b(.confirm, [.char("y"), .char("d")], .confirmYes, "quit without saving", hint: "discard"),
        b(.confirm, [.char("n"), .escape], .confirmNo, "keep editing", hint: "cancel"),

        b(.question, [.char("y")], .confirmYes, "yes: discard the changes, or overwrite the file", hint: "yes"),
        b(.question, [.char("s")], .confirmSave, "save the changes first", hint: "save first"),
        b(.question, [.char("n"), .escape], .confirmNo, "no: keep things as they are", hint: "no"),

        b(.prompt, [.enter], .commit, "confirm", hint: "confirm"),
        b(.prompt, [.escape], .cancel, "cancel", hint: "cancel"),
        b(.prompt, [.tab], .complete, "complete the file or folder name", hint: "complete"),
        b(.prompt, [.backspace], .backspace, "delete the character before the cursor"),
        b(.prompt, [.delete, .ctrl("d")], .deleteForward, "delete the character under the cursor"),
        b(.prompt, [.left, .ctrl("b")], .cursorLeft, "move the cursor left"),
        b(.prompt, [.right, .ctrl("f")], .cursorRight, "move the cursor right"),
        b(.prompt, [.home, .ctrl("a")], .cursorHome, "to the start"),
        b(.prompt, [.end, .ctrl("e")], .cursorEnd, "to the end"),
        b(.prompt, [.ctrl("w")], .deleteWord, "delete the word before the cursor"),
        b(.prompt, [.ctrl("u")], .clearBuffer, "clear"),
    ]

    /// The scopes a key is looked up in, innermost first: the focused pane, then the screen's own
    /// keys, then the global ones. Text-entry scopes and overlays do not fall back, so typing "s"
    /// into a name does not save.
    static func chain(_ scope: Scope, screens: [Scope] = []) -> [Scope] {
        switch scope {
        case .list, .form, .planner: return [scope] + screens + [.global]
        default: return [scope]
        }
    }

    private static let table: [Scope: [Key: Command]] = {
        var t: [Scope: [Key: Command]] = [:]
        for b in bindings { for k in b.keys { t[b.scope, default: [:]][k] = b.command } }
        return t
    }()

    public static func command(for key: Key, in scope: Scope, screens: [Scope] = []) -> Command? {
        for s in chain(scope, screens: screens) { if let c = table[s]?[key] { return c } }
        return nil
    }

    /// The screen scope that binds `key`, when the current screen does not: lets the reducer say
    /// "w works while comparing" instead of ignoring the key.
    static func screenScope(binding key: Key) -> Scope? {
        [Scope.compare, .classroom].first { table[$0]?[key] != nil }
    }

    /// The first key bound to `command`, for messages that name a key ("b opens a second model").
    public static func label(for command: Command) -> String {
        bindings.first { $0.command == command }?.keys.first?.label ?? "?"
    }

    /// Hint line entries for a scope: "key label" pairs, the screen's own keys first.
    public static func hints(_ scope: Scope, screens: [Scope] = []) -> [(String, String)] {
        var order = chain(scope, screens: screens)
        if order.count > 2 { order = screens + order.filter { !screens.contains($0) } }
        var seen = Set<Key>()
        var out: [(String, String)] = []
        for s in order {
            for b in bindings where b.scope == s {
                // A key an inner scope rebinds is not offered twice.
                let shadowed = b.keys.allSatisfy { seen.contains($0) }
                if let hint = b.hint, !shadowed { out.append((b.keys[0].label, hint)) }
            }
            for b in bindings where b.scope == s { seen.formUnion(b.keys) }
        }
        return out
    }
}

extension KeyMap {
    /// The key list for the README, generated from the table so the two cannot drift.
    public static var markdown: String {
        var out = ""
        for scope in Scope.allCases {
            let rows = bindings.filter { $0.scope == scope }
            guard !rows.isEmpty else { continue }
            out += "**\(scope.title)**\n\n| keys | does |\n|---|---|\n"
            for b in rows {
                out += "| " + b.keys.map { "`" + ($0.label == "|" ? "\\|" : $0.label) + "`" }.joined(separator: " ") + " | \(b.help) |\n"
            }
            out += "\n"
        }
        return out
    }
}
