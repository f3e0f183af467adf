import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Where the unsaved edits of a model with no file go, per the XDG Base Directory spec.
@Suite("recovery folder")
struct RecoveryFolderTests {
    @Test func xdgThenHomeThenAPrivateTemporaryFolder() {
        #expect(Recovery.stateFolder(["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/paramcount")
        #expect(Recovery.stateFolder(["HOME": "/h"]) == "/h/.local/state/paramcount")
        // "If an implementation encounters a relative path in any of these variables it should
        // consider the path invalid and ignore it."
        #expect(Recovery.stateFolder(["XDG_STATE_HOME": "state", "HOME": "/h"]) == "/h/.local/state/paramcount")
        #expect(Recovery.stateFolder(["XDG_STATE_HOME": "", "HOME": "/h"]) == "/h/.local/state/paramcount")
        // No HOME: not the temporary folder itself (shared by every user), a folder of this user's.
        #expect(Recovery.stateFolder([:], temporary: "/tmp/") == "/tmp/paramcount-\(getuid())")
        #expect(Recovery.stateFolder(["HOME": "relative"], temporary: "/tmp") == "/tmp/paramcount-\(getuid())")
        #expect(Recovery.inTemporaryFolder([:]) && !Recovery.inTemporaryFolder(["HOME": "/h"]))
    }

    @Test func theTemporaryFolderIsCreatedPrivate() throws {
        let dir = try ScratchFolder()
        let folder = Recovery.stateFolder([:], temporary: dir.path)
        try Recovery.preparePrivateFolder(folder, strict: true)
        var st = stat()
        #expect(lstat(folder, &st) == 0 && st.st_mode & 0o777 == 0o700)
        // Used again as it is.
        try Recovery.preparePrivateFolder(folder, strict: true)
    }

    @Test func aFolderOthersCanEnterOrALinkIsRefused() throws {
        let dir = try ScratchFolder()
        let open = dir.path + "/open"
        mkdir(open, 0o755)
        chmod(open, 0o755)
        #expect(throws: SaveError.self) { try Recovery.preparePrivateFolder(open, strict: true) }
        let link = dir.path + "/link"
        let target = dir.path + "/target"
        mkdir(target, 0o700)
        symlink(target, link)
        #expect(throws: SaveError.self) { try Recovery.preparePrivateFolder(link, strict: true) }
        // Under HOME the folder is the user's own business: an existing 0755 one is used.
        try Recovery.preparePrivateFolder(open, strict: false)
    }
}
