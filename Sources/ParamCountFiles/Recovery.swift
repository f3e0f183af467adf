import Foundation
import ParamCountCore

/// Where unsaved edits go when a signal stops the editor (the SSH link drops, the terminal closes):
/// beside the model as NAME.recovered.EXT, or in the user's state folder for a model with no file.
public enum Recovery {
    public static func path(for documentPath: String?, side: Int = 0) -> String {
        if let documentPath {
            let url = URL(fileURLWithPath: documentPath)
            let ext = url.pathExtension.isEmpty ? "yaml" : url.pathExtension
            let base = url.deletingPathExtension().lastPathComponent
            return url.deletingLastPathComponent().appendingPathComponent("\(base).recovered.\(ext)").path
        }
        return stateFolder + "/untitled\(side == 0 ? "" : "-b").recovered.yaml"
    }

    public static var stateFolder: String { stateFolder(ProcessInfo.processInfo.environment) }

    /// $XDG_STATE_HOME/paramcount, else $HOME/.local/state/paramcount. The XDG spec says a relative
    /// path in an XDG variable is invalid and must be ignored (it would depend on where paramcount
    /// was started). With no usable HOME either, a folder of the user's own in the temporary
    /// folder, which `write` creates private (0700) and refuses to use if someone else owns it.
    static func stateFolder(_ env: [String: String], temporary: String = NSTemporaryDirectory()) -> String {
        if let xdg = env["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/paramcount" }
        if let home = env["HOME"], home.hasPrefix("/") { return home + "/.local/state/paramcount" }
        return (temporary.hasSuffix("/") ? temporary : temporary + "/") + "paramcount-\(getuid())"
    }

    /// Whether the state folder is the fallback in a shared temporary folder.
    static func inTemporaryFolder(_ env: [String: String]) -> Bool {
        !(env["XDG_STATE_HOME"]?.hasPrefix("/") ?? false) && !(env["HOME"]?.hasPrefix("/") ?? false)
    }

    /// Creates the folder (and its parents) with 0700, as the XDG spec asks of state folders. In a
    /// shared temporary folder (`strict`) it must also be a folder of ours that no one else can
    /// enter, since another user may have put a folder or a link of that name there first.
    static func preparePrivateFolder(_ folder: String, strict: Bool) throws(SaveError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            // Reported below when the folder is unusable.
        }
        var st = stat()
        guard (strict ? lstat(folder, &st) : stat(folder, &st)) == 0 else {
            throw .failed(path: folder, reason: "the folder cannot be created: " + String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .failed(path: folder, reason: "it is not a folder")
        }
        guard !strict || (st.st_uid == getuid() && st.st_mode & 0o077 == 0) else {
            throw .failed(path: folder, reason: "the folder is not a private folder of this user (it must be a folder "
                          + "owned by you with permissions 0700)")
        }
    }

    /// Writes each side's model to its recovery file; returns the paths written or the errors.
    public static func write(_ models: [(model: Model, path: String?, side: Int)]) -> [String] {
        var notes: [String] = []
        for entry in models {
            let side = entry.side
            let target = path(for: entry.path, side: side)
            do {
                if entry.path == nil {
                    try preparePrivateFolder(stateFolder, strict: inTemporaryFolder(ProcessInfo.processInfo.environment))
                }
                try ModelFile.save(entry.model, to: target)
                notes.append("unsaved changes were written to \(target)")
            } catch {
                notes.append("unsaved changes could not be written: \(error)")
            }
        }
        return notes
    }

    /// A recovery file left for this model by a session that was stopped, if there is one newer
    /// than the model itself.
    public static func pending(for documentPath: String?, side: Int = 0) -> String? {
        let candidate = path(for: documentPath, side: side)
        let fm = FileManager.default
        guard let rec = try? fm.attributesOfItem(atPath: candidate)[.modificationDate] as? Date else { return nil }
        if let documentPath, let orig = try? fm.attributesOfItem(atPath: documentPath)[.modificationDate] as? Date,
           orig > rec {
            return nil
        }
        return candidate
    }
}
