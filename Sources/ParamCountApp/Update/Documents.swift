import ParamCountCore
import ParamCountFiles

/// Saving, opening, quitting, history and the document-wide settings (convention, weight type).
extension AppState {
    /// Commands that act on the whole document; nil when the command is not one of them.
    mutating func runDocument(_ command: Command) -> [Effect]? {
        switch command {
        case .help: mode = .help(scroll: 0)
        case .quit:
            if documents.contains(where: \.isModified) { mode = .confirmQuit } else { quitRequested = true }
        case .save:
            guard let path = document.path else {
                mode = .prompt(.saveAs, text: suggestedFileName)
                return []
            }
            return [.save(document.model, path: path, side: active, quitAfter: false)]
        case .saveAs: mode = .prompt(.saveAs, text: document.path ?? suggestedFileName)
        case .open:
            if document.isModified {
                mode = .ask(.discardBeforeOpen)
            } else {
                mode = .prompt(.open, text: "")
            }
        case .undo:
            if !document.undo() { message = StatusMessage(kind: .info, text: "Nothing to undo") }
            clampField()
            keepSelectionVisible()
        case .redo:
            if !document.redo() { message = StatusMessage(kind: .info, text: "Nothing to redo") }
            clampField()
            keepSelectionVisible()
        case .cycleConvention:
            let old = document.model.convention
            apply(.convention(old: old, new: old.next))
        case .cycleDtype: document.dtype = document.dtype.next
        case .editInput:
            // A checkpoint's rows are its tensors, with no formula to shape: every MAC would read 0.
            if document.checkpoint != nil {
                message = StatusMessage(kind: .info, text: "A checkpoint's rows are its tensors: shapes and MACs need a model "
                                        + "file or its config.json (open that to set an input shape)")
                return []
            }
            let text = document.model.input.map { $0.map(String.init).joined(separator: ", ") } ?? ""
            cursorBack = 0
            updateEdit(EditState(target: .input, path: document.selectedPath, text: text))
        case .switchFocus: focus = focus == .list ? .form : .list
        default: return nil
        }
        return []
    }

    mutating func saved(side: Int, path: String, error: String?, quitAfter: Bool) {
        guard documents.indices.contains(side) else { return }
        if let error {
            message = StatusMessage(kind: .error, text: "Not saved: \(error). Your edits are kept.")
            if quitAfter { mode = .normal }
        } else {
            update(side: side) { doc in
                doc.path = path
                doc.origin = path
                doc.markSaved()
            }
            message = StatusMessage(kind: .info, text: "Saved \(TerminalSafe.escape(path))")
            if quitAfter && !documents.contains(where: \.isModified) { quitRequested = true }
        }
    }

    mutating func opened(reference: String, asSideB: Bool, result: Result<LoadedModel, ModelError>) {
        switch result {
        case .success(let loaded):
            do {
                var doc = try Document(loaded, origin: reference)
                doc.dtype = document.dtype
                if asSideB {
                    openSideB(doc)
                    message = StatusMessage(kind: .info, text: "Comparing with \(TerminalSafe.escape(reference)); \(KeyMap.label(for: .switchSide)) switches sides")
                } else {
                    replaceDocument(doc)
                    message = StatusMessage(kind: .info, text: "Opened \(TerminalSafe.escape(reference))")
                }
                focus = .list
                keepSelectionVisible()
            } catch {
                message = StatusMessage(kind: .error, text: error.description)
            }
        case .failure(let error):
            message = StatusMessage(kind: .error, text: error.description)
        }
    }

    mutating func restored(side: Int, recovery: String, result: Result<LoadedModel, ModelError>) {
        switch result {
        case .success(let loaded):
            var error: ModelError?
            update(side: side) { doc in
                error = doc.perform(.model(old: doc.model, new: loaded.model))
            }
            if let error {
                message = StatusMessage(kind: .error, text: "Not restored: " + error.description)
            } else {
                let target = documents[side].path.map { "; \(KeyMap.label(for: .save)) saves them to \(TerminalSafe.escape($0))" } ?? ""
                message = StatusMessage(kind: .info, text: "Restored the unsaved edits from \(TerminalSafe.escape(recovery))" + target)
            }
            keepSelectionVisible()
        case .failure(let error):
            message = StatusMessage(kind: .error, text: "Not restored: " + error.description)
        }
    }

    var suggestedFileName: String {
        let base = (document.model.name ?? "model").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let trimmed = String(base).split(separator: "-").joined(separator: "-")
        return (trimmed.isEmpty ? "model" : String(trimmed.prefix(40))) + ".yaml"
    }

    /// Applies a document change, or explains why it would make the model invalid.
    mutating func apply(_ change: Change) {
        if let error = document.perform(change) {
            message = StatusMessage(kind: .error, text: "Not changed: " + error.description)
        }
        clampField()
        keepSelectionVisible()
    }
}
