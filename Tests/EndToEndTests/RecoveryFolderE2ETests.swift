import Foundation
import Testing

@Suite("recovery without a home", .enabled(if: Tmux.available, "needs tmux (.ci/run installs it)"))
struct RecoveryFolderE2ETests {
    /// HOME empty and XDG_STATE_HOME relative (both unusable under the XDG spec): the edits of an
    /// unnamed model go to a private folder of this user's in the temporary folder.
    @Test func noHomeMeansAPrivateTemporaryFolder() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tmp-\(UUID())").path
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let t = try Tmux(arguments: [], env: ["HOME": "", "XDG_STATE_HOME": "relative/state", "TMPDIR": tmp])
        try t.waitFor("Sentiment classifier")
        try t.send("c")
        try t.waitFor("modified")
        let pane = try t.tmux(["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = Spawn.run(["pkill", "-HUP", "-P", pane, "-x", "paramcount"], capture: false)
        try t.waitFor("[exited 129]")
        let folder = tmp + "/paramcount-\(getuid())"
        #expect(try String(contentsOfFile: folder + "/untitled.recovered.yaml", encoding: .utf8).contains("convention: pytorch"))
        var st = stat()
        #expect(stat(folder, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(!FileManager.default.fileExists(atPath: "relative"))
    }
}
