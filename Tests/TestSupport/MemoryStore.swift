import Foundation
import ParamCountApp
import ParamCountCore
import ParamCountFiles

/// An in-memory file system for reducer and loop tests: saves go into `files` in the writer's real
/// format, loads parse them back with the real reader, and nothing touches the disk.
public final class MemoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String: String] = [:]
    /// Paths whose save fails, with the reason, to test what a failed save does.
    public var failing: [String: String] = [:]

    public init(files: [String: String] = [:]) { storage = files }

    public var files: [String: String] { lock.withLock { storage } }

    public var store: FileStore {
        FileStore(save: { [self] model, path throws(SaveError) in
            if let reason = lock.withLock({ failing[path] }) { throw SaveError.failed(path: path, reason: reason) }
            let text = ModelWriter.text(model, format: FileFormat(path: path))
            lock.withLock { storage[path] = text }
        }, load: { [self] reference throws(ModelError) in
            if reference.hasPrefix("preset:") { return try ModelFile.load(reference) }
            guard let text = lock.withLock({ storage[reference] }) else { throw ModelError(file: reference, "no such file") }
            return try ModelFile.parse(text, format: FileFormat(path: reference), file: reference)
        }, list: { [self] folder in
            // Names directly in `folder`, folders (paths with more after a slash) with a "/".
            let names = lock.withLock { Array(storage.keys) }.filter { $0.hasPrefix(folder) }.map { path -> String in
                let rest = path.dropFirst(folder.count)
                if let slash = rest.firstIndex(of: "/") { return String(rest[...slash]) }
                return String(rest)
            }
            return Array(Set(names))
        }, exists: { [self] path in
            lock.withLock { storage.keys.contains { $0 == path || $0.hasPrefix(path.hasSuffix("/") ? path : path + "/") } }
        })
    }
}
