import ParamCountCore

/// The help overlay, the quit confirmation, the kind picker and the file-name prompt. Each owns the
/// keyboard while it is open.
extension AppState {
    mutating func runHelp(_ command: Command) {
        guard case .help(let scroll) = mode else { return }
        switch command {
        case .closeOverlay: mode = .normal
        case .up: mode = .help(scroll: scroll - 1)
        case .down: mode = .help(scroll: scroll + 1)
        default: return
        }
        clampHelpScroll()
    }

    /// The help scrolls no further than its last line: pressing ↓ a hundred times and then ↑ once
    /// moves the text at once.
    mutating func clampHelpScroll() {
        guard case .help(let scroll) = mode else { return }
        let most = max(0, HelpOverlay.lines.count - HelpOverlay.visibleRows(height: height))
        mode = .help(scroll: max(0, min(scroll, most)))
    }

    mutating func runConfirm(_ command: Command) -> [Effect] {
        switch command {
        case .confirmYes: quitRequested = true
        case .confirmNo: mode = .normal
        case .confirmSave:
            // Sides without a file are asked for a name first, one at a time.
            if let unnamed = documents.indices.first(where: { documents[$0].isModified && documents[$0].path == nil }) {
                active = unnamed
                mode = .prompt(.saveAndQuit, text: suggestedFileName)
                return []
            }
            return documents.indices.filter { documents[$0].isModified }.map {
                .save(documents[$0].model, path: documents[$0].path!, side: $0, quitAfter: true)
            }
        default: break
        }
        return []
    }

    mutating func runQuestion(_ command: Command, _ question: Question) -> [Effect] {
        switch (question, command) {
        case (.discardBeforeOpen, .confirmYes): mode = .prompt(.open, text: "")
        case (.discardBeforeOpen, .confirmSave):
            guard let path = document.path else {
                mode = .prompt(.saveAs, text: suggestedFileName)
                message = StatusMessage(kind: .info, text: "Name the file to save to; then \(KeyMap.label(for: .open)) opens another model")
                return []
            }
            mode = .prompt(.open, text: "")
            return [.save(document.model, path: path, side: active, quitAfter: false)]
        case (.overwrite(let path, let side, let quitAfter), .confirmYes):
            mode = .normal
            guard documents.indices.contains(side) else { return [] }
            return [.save(documents[side].model, path: path, side: side, quitAfter: quitAfter)]
        case (.overwrite(let path, _, _), .confirmNo):
            mode = .prompt(.saveAs, text: path)   // to type another name
        case (.restore(let recovery, let side), .confirmYes):
            mode = .normal
            return [.restore(recovery: recovery, side: side)]
        case (.restore(let recovery, _), .confirmNo):
            mode = .normal
            message = StatusMessage(kind: .info, text: "The unsaved edits stay in \(TerminalSafe.escape(recovery)) until you save this model")
        case (_, .confirmNo): mode = .normal
        default: break
        }
        return []
    }

    mutating func runPicker(_ command: Command, selection i: Int) {
        switch command {
        case .up: mode = .picker(selection: max(0, i - 1))
        case .down: mode = .picker(selection: min(LayerKind.allCases.count - 1, i + 1))
        case .commit: addLayer(LayerKind.allCases[i])
        case .cancel: mode = .normal
        default: break
        }
    }

    mutating func runPrompt(_ command: Command, purpose: PromptPurpose, text: String) -> [Effect] {
        var edited = text
        var back = cursorBack
        if TextEntry.apply(command, text: &edited, back: &back) {
            mode = .prompt(purpose, text: edited)
            cursorBack = back
            return []
        }
        switch command {
        case .commit:
            let name = text.trimmedSpaces
            guard !name.isEmpty else { message = StatusMessage(kind: .error, text: "Type a file name first"); return [] }
            mode = .normal
            switch purpose {
            case .saveAs: return [.saveNew(document.model, path: name, side: active, quitAfter: false)]
            case .saveAndQuit:
                // Then the other unsaved sides, which have files.
                return [.saveNew(document.model, path: name, side: active, quitAfter: true)]
                    + documents.indices.filter { $0 != active && documents[$0].isModified && documents[$0].path != nil }
                        .map { .save(documents[$0].model, path: documents[$0].path!, side: $0, quitAfter: true) }
            case .open: return [.open(name, asSideB: false)]
            case .compare: return [.open(name, asSideB: true)]
            }
        case .cancel: mode = .normal
        case .complete:
            if let done = presetCompletion(text) {
                mode = .prompt(purpose, text: done)
                cursorBack = 0
                return []
            }
            return [.complete(text, purpose: purpose)]
        default: break
        }
        return []
    }
}
