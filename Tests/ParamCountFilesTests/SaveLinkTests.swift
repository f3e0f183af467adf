import Foundation
import ParamCountCore
@testable import ParamCountFiles
import Testing

/// Saving through links: the user's link stays a link and the file it names gets the new model;
/// a file with several names keeps being one file.
@Suite("saving through links")
struct SaveLinkTests {
    let model = Model(name: "saved", layers: [Layer(.dense, [(.in, .int(3)), (.out, .int(4))])])
    let old = "layers:\n  - kind: custom\n    params: 1\n"

    func inode(_ path: String) -> (ino: UInt, links: Int, isLink: Bool) {
        var st = stat()
        lstat(path, &st)
        return (UInt(st.st_ino), Int(st.st_nlink), (st.st_mode & S_IFMT) == S_IFLNK)
    }

    func entries(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func aSymlinkStaysALinkAndItsTargetIsWritten() throws {
        let dir = try ScratchFolder()
        let target = try dir.write("target.yaml", old)
        symlink("target.yaml", dir.path + "/link.yaml")
        try ModelFile.save(model, to: dir.path + "/link.yaml")
        #expect(inode(dir.path + "/link.yaml").isLink)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path + "/link.yaml") == "target.yaml")
        #expect(try ModelFile.load(target).model == model)
        #expect(entries(dir.path) == ["link.yaml", "target.yaml"])
    }

    @Test func aChainOfLinksIntoAnotherFolder() throws {
        let a = try ScratchFolder(), b = try ScratchFolder()
        let target = try b.write("real.json", #"{"layers": [{"kind": "custom", "params": 1}]}"#)
        symlink(target, b.path + "/hop.json")
        symlink(b.path + "/hop.json", a.path + "/m.json")
        try ModelFile.save(model, to: a.path + "/m.json")
        #expect(inode(a.path + "/m.json").isLink && inode(b.path + "/hop.json").isLink)
        // Written in the format of the name the user saved to.
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("{"))
        #expect(try ModelFile.load(target).model == model)
        #expect(entries(a.path) == ["m.json"] && entries(b.path) == ["hop.json", "real.json"])
    }

    @Test func aLinkToAMissingFileCreatesThatFile() throws {
        let dir = try ScratchFolder()
        symlink("new.yaml", dir.path + "/link.yaml")
        try ModelFile.save(model, to: dir.path + "/link.yaml")
        #expect(inode(dir.path + "/link.yaml").isLink)
        #expect(try ModelFile.load(dir.path + "/new.yaml").model == model)
    }

    @Test func aLoopOfLinksSaysSo() throws {
        let dir = try ScratchFolder()
        symlink("b.yaml", dir.path + "/a.yaml")
        symlink("a.yaml", dir.path + "/b.yaml")
        #expect {
            try ModelFile.save(model, to: dir.path + "/a.yaml")
        } throws: { error in
            "\(error)".contains("a.yaml") && "\(error)".contains("loop")
        }
        #expect(inode(dir.path + "/a.yaml").isLink && inode(dir.path + "/b.yaml").isLink)
        let e = loadFailure(dir.path + "/a.yaml")
        #expect(e?.message.contains("loop") == true, "\(e?.message ?? "")")
    }

    /// Both names of a hard-linked file see the saved model: the file is written in place.
    @Test func aHardLinkedFileKeepsItsInode() throws {
        let dir = try ScratchFolder()
        let a = try dir.write("a.yaml", old)
        link(a, dir.path + "/b.yaml")
        let before = inode(a)
        #expect(before.links == 2)
        try ModelFile.save(model, to: a)
        #expect(inode(a).ino == before.ino && inode(a).links == 2)
        #expect(try ModelFile.load(dir.path + "/b.yaml").model == model)
        #expect(entries(dir.path) == ["a.yaml", "b.yaml"])
        // Shorter contents leave nothing of the longer old ones behind.
        let small = Model(layers: [Layer(.custom, [(.params, .int(2))])])
        try ModelFile.save(small, to: a)
        #expect(try ModelFile.load(dir.path + "/b.yaml").model == small)
    }
}
