import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Signals that end the editor without a chance to save: whatever ends it, the terminal is given
/// back as it was (normal screen, cursor, keypad, mouse reporting, line discipline), and the Swift
/// runtime's crash report never waits for a key on the user's terminal.
@Suite("fatal signals", .enabled(if: Tmux.available, "needs tmux (.ci/run installs it)"))
struct FatalSignalTests {
    /// The pane's terminal modes as tmux tracks them, and its line discipline.
    func modes(_ t: Tmux) throws -> [String: String] {
        let names = ["alternate_on", "cursor_flag", "keypad_flag", "keypad_cursor_flag", "mouse_any_flag",
                     "mouse_button_flag", "mouse_standard_flag", "mouse_sgr_flag", "mouse_utf8_flag"]
        let line = try t.tmux(["display", "-p", "-t", "e2e", names.map { "#{\($0)}" }.joined(separator: " ")])
        var out = Dictionary(uniqueKeysWithValues: zip(names, line.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }))
        let tty = try t.tmux(["display", "-p", "-t", "e2e", "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let fd = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK)
        var tio = termios()
        if fd >= 0 && tcgetattr(fd, &tio) == 0 {
            let cooked = tio.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == tcflag_t(ICANON | ECHO | ISIG)
            out["cooked"] = cooked && tio.c_oflag & tcflag_t(OPOST) != 0 ? "1" : "0"
        }
        if fd >= 0 { close(fd) }
        return out
    }

    static let restored = ["alternate_on": "0", "cursor_flag": "1", "keypad_flag": "0", "keypad_cursor_flag": "0",
                           "mouse_any_flag": "0", "mouse_button_flag": "0", "mouse_standard_flag": "0",
                           "mouse_sgr_flag": "0", "mouse_utf8_flag": "0", "cooked": "1"]

    @Test(arguments: [("QUIT", 3), ("USR1", 10), ("USR2", 12), ("ALRM", 14), ("SEGV", 11), ("BUS", 7),
                      ("ILL", 4), ("FPE", 8), ("ABRT", 6), ("TRAP", 5), ("XCPU", 24), ("VTALRM", 26)])
    func everyFatalSignalRestoresTheTerminal(_ name: String, _ number: Int) throws {
        let t = try Tmux(width: 100, height: 30, arguments: ["preset:example"])
        try t.waitFor("Sentiment classifier")
        let editing = try modes(t)
        #expect(editing["alternate_on"] == "1" && editing["cooked"] == "0", "the editor did not take the terminal: \(editing)")
        let pane = try t.tmux(["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = Spawn.run(["pkill", "-" + name, "-P", pane, "-x", "paramcount"], capture: false)
        // Well under the backtracer's 30 s prompt: a prompt would fail this.
        try t.waitFor("[exited \(128 + number)]", timeout: 10)
        #expect(try modes(t) == Self.restored, "after SIG\(name)")
    }

    /// The same, quitting normally, so the expectations above describe the terminal as it was.
    @Test func quittingRestoresTheSameModes() throws {
        let t = try Tmux(width: 100, height: 30, arguments: ["preset:example"])
        try t.waitFor("Sentiment classifier")
        try t.send("q")
        try t.waitFor("[exited 0]")
        #expect(try modes(t) == Self.restored)
    }
}
