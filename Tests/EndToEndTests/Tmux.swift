import Foundation
import Testing

/// A private tmux server running the real binary in a pane of fixed size, driven like a user:
/// send-keys to type, capture-pane to read the screen.
final class Tmux {
    let socket = "paramcount-e2e-\(UUID().uuidString.prefix(8))"
    let session = "e2e"

    init(width: Int = 100, height: Int = 30, arguments: [String], env: [String: String] = [:]) throws {
        // A state folder of its own, so recovery files left in the user's by other runs (or written
        // by this one) never show up in, or leak out of, a test.
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("paramcount-state-\(UUID())").path
        let envs = (["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "XDG_STATE_HOME": state]
            .merging(env) { $1 })
            .map { "\($0.key)=\(Tmux.quote($0.value))" }.joined(separator: " ")
        let command = "env \(envs) \(Tmux.quote(Binary.path)) " + arguments.map(Tmux.quote).joined(separator: " ")
            + "; echo \"[exited $?]\"; sleep 600"
        // The server this starts outlives the call: give it no pipe to hold open.
        try tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command], capture: false)
    }

    deinit { _ = try? tmux(["kill-server"], capture: false) }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    func tmux(_ args: [String], capture: Bool = true) throws -> String {
        Spawn.run(["tmux", "-L", socket] + args, capture: capture).stdout
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }
    func resize(_ w: Int, _ h: Int) throws { try tmux(["resize-window", "-t", session, "-x", String(w), "-y", String(h)]) }

    /// Waits until the screen satisfies `condition`; returns the last screen either way.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)")
        return last
    }

    /// Waits for `text`; runs of spaces count as one, since numbers sit right-aligned in slots.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15) throws -> String {
        let wanted = Tmux.squeezed(text)
        return try waitFor("“\(text)”", timeout: timeout) { Tmux.squeezed($0).contains(wanted) }
    }

    static func squeezed(_ s: String) -> String {
        var out = ""
        var lastSpace = false
        for ch in s {
            if ch == " " { if !lastSpace { out.append(ch) }; lastSpace = true } else { out.append(ch); lastSpace = false }
        }
        return out
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }
}
