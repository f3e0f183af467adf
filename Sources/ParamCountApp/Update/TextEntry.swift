import ParamCountCore

/// Moving and deleting inside a typed value or a file-name prompt, as in a shell's line editor.
/// The cursor is kept as a distance from the end, so text set anywhere starts with the cursor
/// after it.
enum TextEntry {
    /// Applies an editing command to `text`; false when the command is not a text command.
    static func apply(_ command: Command, text: inout String, back: inout Int) -> Bool {
        let chars = Array(text)
        var at = max(0, chars.count - back)
        var out = chars
        switch command {
        case .backspace:
            guard at > 0 else { return true }
            out.remove(at: at - 1)
            at -= 1
        case .deleteForward:
            guard at < chars.count else { return true }
            out.remove(at: at)
        case .cursorLeft: at = max(0, at - 1)
        case .cursorRight: at = min(chars.count, at + 1)
        case .cursorHome: at = 0
        case .cursorEnd: at = chars.count
        case .deleteWord:
            // Back over spaces, then over the word (letters, digits, or a run of one punctuation).
            var start = at
            while start > 0 && chars[start - 1] == " " { start -= 1 }
            let wordy: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" }
            if start > 0 && wordy(chars[start - 1]) {
                while start > 0 && wordy(chars[start - 1]) { start -= 1 }
            } else if start > 0 {
                start -= 1
            }
            out.removeSubrange(start..<at)
            at = start
        case .clearBuffer:
            out = []
            at = 0
        default: return false
        }
        text = String(out)
        back = out.count - at
        return true
    }

    static func insert(_ ch: Character, text: inout String, back: Int) {
        var chars = Array(text)
        chars.insert(ch, at: max(0, chars.count - back))
        text = String(chars)
    }

    /// The text with a cursor glyph at the cursor, its tail kept in view within `width` columns.
    static func shown(_ text: String, back: Int, cursor: String, width: Int) -> String {
        let chars = Array(text)
        let at = max(0, chars.count - back)
        let head = String(chars[..<at]), tail = String(chars[at...])
        var shown = head + cursor + tail
        // Keep the cursor on screen: drop characters from the front until it fits.
        while Grid.columns(shown) > width, !shown.isEmpty {
            if Grid.columns(head + cursor) > width { shown.removeFirst() } else { shown.removeLast() }
            if Grid.columns(shown) <= width { break }
        }
        return shown
    }
}
