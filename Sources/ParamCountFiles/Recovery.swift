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

    /// $XDG_STATE_HOME/paramcount, else ~/.local/state/paramcount.
    public static var stateFolder: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/paramcount" }
        return (env["HOME"] ?? NSTemporaryDirectory()) + "/.local/state/paramcount"
    }

    /// Writes each side's model to its recovery file; returns the paths written or the errors.
    public static func write(_ models: [(model: Model, path: String?, side: Int)]) -> [String] {
        var notes: [String] = []
        for entry in models {
            let side = entry.side
            let target = path(for: entry.path, side: side)
            if entry.path == nil {
                try? FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: true)
            }
            do {
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
