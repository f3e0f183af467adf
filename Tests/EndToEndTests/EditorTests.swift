import Foundation
import Testing

/// The real binary in a real terminal. Expected counts are the by-hand formulas.
@Suite("editor in tmux", .enabled(if: Tmux.available, "needs tmux (.ci/run installs it)"), .serialized)
struct EditorTests {
    let model = """
        name: e2e
        layers:
          - kind: embedding
            vocab: 1000
            dim: 64
          - kind: lstm
            name: enc
            hidden: 128
          - kind: dense
            out: 10
        """
    // 1000·64 + 4·[(128 + 64)·128 + 128] + (128·10 + 10)
    let before = 64_000 + 4 * ((128 + 64) * 128 + 128) + 1_290

    @Test func editAWidthSaveQuitAndReopen() throws {
        let path = try Binary.temporaryFile("m.yaml", model)
        let t = try Tmux(arguments: [path])
        try t.waitFor("Total \(grouped(before))")
        try t.send("j", "Tab", "j", "j", "Enter", "C-u")
        try t.type("25")
        // Live while typing: h = 25 and the dense layer below follows (25 inputs).
        let live = 64_000 + 4 * ((25 + 64) * 25 + 25) + (25 * 10 + 10)
        try t.waitFor("Total \(grouped(live))")
        try t.type("6")
        let after = 64_000 + 4 * ((256 + 64) * 256 + 256) + (256 * 10 + 10)
        try t.waitFor("Total \(grouped(after))")
        try t.send("Enter")
        try t.waitFor("modified")
        try t.send("s")
        try t.waitFor("Saved")
        try t.send("q")
        try t.waitFor("[exited 0]")
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("hidden: 256"))

        let again = try Tmux(arguments: [path])
        try again.waitFor("Total \(grouped(after))")
    }

    @Test func invalidValueShowsErrorAndStaleTotal() throws {
        let path = try Binary.temporaryFile("m.yaml", model)
        let t = try Tmux(arguments: [path])
        try t.waitFor("Total \(grouped(before))")
        try t.send("j", "Tab", "j", "j", "Enter", "C-u")
        try t.type("12x")
        let screen = try t.waitFor("must be a positive integer")
        #expect(Tmux.squeezed(screen).contains("Total \(grouped(before))"))
        #expect(screen.contains("(last valid)"))
        try t.send("Escape", "q")
        try t.waitFor("[exited 0]")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == model)
    }

    @Test func quitAsksAboutUnsavedChanges() throws {
        let t = try Tmux(arguments: [])
        try t.waitFor("Sentiment classifier")
        try t.send("c")
        try t.waitFor("modified")
        try t.send("q")
        try t.waitFor("has unsaved changes")
        try t.send("n")
        try t.waitFor("Enter edit")
        try t.send("q", "y")
        try t.waitFor("[exited 0]")
    }

    @Test func resizeRelaysAndRecovers() throws {
        let t = try Tmux(width: 100, height: 30, arguments: ["preset:bert-base"])
        try t.waitFor("Total 109,482,240")
        try t.resize(40, 10)
        try t.waitFor("Terminal too small")
        try t.resize(80, 24)
        let screen = try t.waitFor("Total 109,482,240")
        #expect(screen.split(separator: "\n").first?.count ?? 0 <= 80)
        try t.send("?")
        try t.waitFor("Keys — Esc closes")
        try t.send("Escape", "q")
        try t.waitFor("[exited 0]")
    }

    func signalEditor(_ t: Tmux, _ name: String) throws {
        let pane = try t.tmux(["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs a shell; signal its child, the editor.
        _ = Spawn.run(["pkill", "-" + name, "-P", pane, "-x", "paramcount"], capture: false)
    }

    @Test(arguments: [("TERM", 15), ("HUP", 1), ("INT", 2)])
    func signalsRestoreTheTerminalAndKeepEdits(_ name: String, _ number: Int) throws {
        let path = try Binary.temporaryFile("m.yaml", model)
        let t = try Tmux(arguments: [path])
        try t.waitFor("Total \(grouped(before))")
        try t.send("c")                      // convention → pytorch: an unsaved change
        try t.waitFor("modified")
        try signalEditor(t, name)
        let screen = try t.waitFor("[exited \(128 + number)]")
        // Back on the normal screen, with a word about where the edits went.
        #expect(!screen.contains("Layers (3)"))
        let recovered = path.replacingOccurrences(of: "m.yaml", with: "m.recovered.yaml")
        #expect(screen.contains("m.recovered.yaml"))
        #expect(try String(contentsOfFile: recovered, encoding: .utf8).contains("convention: pytorch"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == model)
        // The next start offers them back; restored, they save to the original file.
        let again = try Tmux(arguments: [path])
        try again.waitFor("Restore them?")
        try again.send("y")
        try again.waitFor("Restored the unsaved edits")
        try again.waitFor("pytorch")
        try again.send("s")
        try again.waitFor("Saved")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("convention: pytorch"))
        try again.send("q")
        try again.waitFor("[exited 0]")
    }

    @Test func unnamedModelsRecoverIntoTheStateFolder() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID())").path
        let t = try Tmux(arguments: [], env: ["XDG_STATE_HOME": state])
        try t.waitFor("Sentiment classifier")
        try t.send("c")
        try t.waitFor("modified")
        try signalEditor(t, "HUP")
        try t.waitFor("[exited 129]")
        #expect(try String(contentsOfFile: state + "/paramcount/untitled.recovered.yaml", encoding: .utf8)
            .contains("convention: pytorch"))
    }

    @Test func aSignalWithoutChangesWritesNothing() throws {
        let path = try Binary.temporaryFile("m.yaml", model)
        let t = try Tmux(arguments: [path])
        try t.waitFor("Total \(grouped(before))")
        try signalEditor(t, "TERM")
        try t.waitFor("[exited 143]")
        #expect(!FileManager.default.fileExists(atPath: path.replacingOccurrences(of: "m.yaml", with: "m.recovered.yaml")))
    }

    @Test func notATerminalExitsTwoWithoutGarbage() throws {
        let r = try Binary.run([])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("paramcount count"))
    }

    func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
