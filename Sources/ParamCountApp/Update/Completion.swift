import ParamCountCore
import ParamCountFiles

/// Tab in a file-name prompt: completes as far as the names in the folder agree, like a shell, and
/// lists the candidates when they part ways. `preset:` completes preset names without the disk.
enum Completion {
    /// The folder part of what was typed ("" for the working folder).
    static func folder(of text: String) -> String {
        guard let slash = text.lastIndex(of: "/") else { return "" }
        return String(text[...slash])
    }

    /// The completed text, and the candidates when more than one name matches.
    static func complete(_ text: String, entries: [String]) -> (text: String, candidates: [String]) {
        let folder = folder(of: text)
        let stem = String(text.dropFirst(folder.count))
        // Hidden files only when asked for, as shells do.
        let matches = entries.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
        guard let first = matches.first else { return (text, []) }
        var common = first
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        return (folder + common, matches.count > 1 ? matches : [])
    }
}

extension AppState {
    mutating func completed(text: String, entries: [String]) {
        // The prompt may have changed or closed while the folder was read.
        guard case .prompt(let purpose, let current) = mode, current == text else { return }
        let (completed, candidates) = Completion.complete(text, entries: entries)
        mode = .prompt(purpose, text: completed)
        cursorBack = 0
        if candidates.count > 1 {
            let names = candidates.prefix(8).map(TerminalSafe.escape).joined(separator: "  ")
            message = StatusMessage(kind: .info, text: names + (candidates.count > 8 ? "  … \(candidates.count - 8) more" : ""))
        } else if completed == text && candidates.isEmpty {
            message = StatusMessage(kind: .info, text: "No file or folder starts with that")
        }
    }

    /// `preset:` names complete at once, without asking the loop.
    func presetCompletion(_ text: String) -> String? {
        guard text.hasPrefix("preset:") else { return nil }
        let stem = String(text.dropFirst("preset:".count))
        let (done, _) = Completion.complete(stem, entries: Presets.all.map(\.id))
        return "preset:" + done
    }
}
