import ParamCountCore

/// The one place the state changes. Each area of the app (overlays, documents, the layer list, the
/// form, comparison, classroom) handles its own commands in its own file; this only routes.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .resize(let w, let h):
        state.width = w
        state.height = h
        state.clampHelpScroll()
        state.keepSelectionVisible()
        state.clampDerivationScroll()
        state.clampPlannerScroll()
        return []
    case .saved(let side, let path, let error, let quitAfter):
        state.saved(side: side, path: path, error: error, quitAfter: quitAfter)
        return []
    case .opened(let reference, let asSideB, let result):
        state.opened(reference: reference, asSideB: asSideB, result: result)
        return []
    case .exists(let side, let path, let quitAfter):
        state.mode = .ask(.overwrite(path: path, side: side, quitAfter: quitAfter))
        return []
    case .restored(let side, let recovery, let result):
        state.restored(side: side, recovery: recovery, result: result)
        return []
    case .listed(let text, let entries):
        state.completed(text: text, entries: entries)
        return []
    case .key(let key):
        // A message stays until the next key.
        state.message = nil
        if state.layout.tooSmall { return state.runTooSmall(key) }
        let before = state.mode
        let effects = handle(key, &state)
        // A new edit or prompt starts with the cursor after its text.
        if !AppState.sameEntry(before, state.mode) { state.cursorBack = 0 }
        return effects
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if case .mouseClick(let x, let y) = key { state.click(x: x, y: y); return [] }
    if key == .wheelUp || key == .wheelDown {
        if case .help = state.mode { return state.run(key == .wheelUp ? .up : .down) }
        // The wheel has no position here: it scrolls what has the focus.
        if state.scope == .form || state.scope == .planner { return state.run(key == .wheelUp ? .derivationUp : .derivationDown) }
        state.moveSelection(key == .wheelUp ? -3 : 3)
        return []
    }
    let scope = state.scope
    guard let command = KeyMap.command(for: key, in: scope, screens: state.screenScopes) else {
        if case .char(let ch) = key { return typed(ch, &state) }
        return []
    }
    return state.run(command)
}

/// Printable keys that no binding claims: text for the edit buffer or a prompt, or the start of an
/// edit when a digit is typed on a form field.
private func typed(_ ch: Character, _ state: inout AppState) -> [Effect] {
    switch state.mode {
    case .normal where state.screen == .planner:
        state.plannerTyped(ch)
    case .editing(var e):
        TextEntry.insert(ch, text: &e.text, back: state.cursorBack)
        state.updateEdit(e)
    case .prompt(let purpose, var text):
        TextEntry.insert(ch, text: &text, back: state.cursorBack)
        state.mode = .prompt(purpose, text: text)
    case .picker:
        if let i = LayerKind.allCases.firstIndex(where: { $0.rawValue.first == ch }) { state.mode = .picker(selection: i) }
    case .normal where state.focus == .form && (ch.isNumber || ch == "["):
        state.startEdit(initial: String(ch))
    case .normal:
        // A key another screen binds: say where it works rather than ignore it.
        if let scope = KeyMap.screenScope(binding: .char(ch)) {
            let hint = scope == .compare
                ? "\(ch) works while comparing: \(KeyMap.label(for: .compareWith)) opens a second model"
                : "\(ch) works in classroom mode: \(KeyMap.label(for: .toggleClassroom)) turns it on"
            state.message = StatusMessage(kind: .info, text: hint)
        }
    default: break
    }
    return []
}

extension AppState {
    public var layout: Layout { Layout(width: width, height: height) }

    /// Routes a command to the area that owns it: the open overlay or prompt first (it owns the
    /// keyboard), then the screen's own commands, then the document, list and form.
    mutating func run(_ command: Command) -> [Effect] {
        switch mode {
        case .help: runHelp(command)
        case .confirmQuit: return runConfirm(command)
        case .ask(let question): return runQuestion(command, question)
        case .picker(let i): runPicker(command, selection: i)
        case .prompt(let purpose, let text): return runPrompt(command, purpose: purpose, text: text)
        case .editing(let e): runEditing(command, e)
        case .normal:
            if let effects = runDocument(command) { return effects }
            if runCompare(command) || runClassroom(command) || runPlanner(command) { return [] }
            if focus == .list { runList(command) } else { runForm(command) }
        }
        return []
    }
}

extension AppState {
    /// Below the minimum size nothing of the editor can be seen, so only the keys that screen names
    /// work: quit, and the answers to the quit question when there are unsaved changes. A question
    /// asked here stays open and is shown as soon as the terminal is large enough.
    mutating func runTooSmall(_ key: Key) -> [Effect] {
        switch mode {
        case .ask:
            if key == .escape { mode = .normal }
        case .confirmQuit:
            switch KeyMap.command(for: key, in: .confirm) {
            case .confirmYes?: quitRequested = true
            case .confirmNo?: mode = .normal
            default: break
            }
        case .normal, .help, .picker:
            if KeyMap.command(for: key, in: .global) == .quit {
                mode = .normal
                if documents.contains(where: \.isModified) { mode = .confirmQuit } else { quitRequested = true }
            }
        case .editing, .prompt:
            // Typing blind is how edits get lost: Esc closes the edit or prompt, nothing else acts.
            if key == .escape { mode = .normal }
        }
        return []
    }
}
