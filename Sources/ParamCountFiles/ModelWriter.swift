import Foundation
import ParamCountCore

/// Writes models as the user would: only the fields they set, in schema order, strings always
/// quoted so any name survives the round trip.
public enum ModelWriter {
    public static func text(_ model: Model, format: FileFormat) -> String {
        format == .json ? json(model) : yaml(model)
    }

    public static func yaml(_ model: Model) -> String {
        var out = ""
        if let name = model.name { out += "name: \(quoted(name))\n" }
        out += "convention: \(model.convention.rawValue)\n"
        if let input = model.input { out += "input: [" + input.map(String.init).joined(separator: ", ") + "]\n" }
        out += "layers:\n"
        for line in yamlList(model.layers) { out += "  " + line + "\n" }
        return out
    }

    /// A list of layers as YAML lines, each relative to the list's own indentation: `- kind: …`
    /// starts an entry, its other keys are indented by two.
    private static func yamlList(_ layers: [Layer]) -> [String] {
        var lines: [String] = []
        for layer in layers {
            var first = true
            for line in yamlLayer(layer) {
                lines.append((first ? "- " : "  ") + line)
                first = false
            }
        }
        return lines
    }

    private static func yamlLayer(_ layer: Layer) -> [String] {
        var lines = pairs(layer, json: false).map { $0.0 + ": " + $0.1 }
        switch layer.kind {
        case .group:
            if layer.body.isEmpty { lines.append("layers: []"); break }
            lines.append("layers:")
            lines += yamlList(layer.body).map { "  " + $0 }
        case .parallel:
            if layer.branches.isEmpty { lines.append("branches: []"); break }
            lines.append("branches:")
            for branch in layer.branches {
                if branch.isEmpty { lines.append("  - []"); continue }
                var first = true
                for line in yamlList(branch) {
                    lines.append((first ? "  - " : "    ") + line)
                    first = false
                }
            }
        default: break
        }
        return lines
    }

    public static func json(_ model: Model) -> String {
        var out = "{\n"
        if let name = model.name { out += "  \"name\": \(quoted(name)),\n" }
        out += "  \"convention\": \"\(model.convention.rawValue)\",\n"
        if let input = model.input { out += "  \"input\": [" + input.map(String.init).joined(separator: ", ") + "],\n" }
        out += "  \"layers\": [\n"
        for line in jsonList(model.layers) { out += "    " + line + "\n" }
        return out + "  ]\n}\n"
    }

    /// The entries of a JSON list of layers, one line per layer that holds no others.
    private static func jsonList(_ layers: [Layer]) -> [String] {
        var lines: [String] = []
        for (i, layer) in layers.enumerated() {
            var entry = jsonLayer(layer)
            if i + 1 < layers.count { entry[entry.count - 1] += "," }
            lines += entry
        }
        return lines
    }

    private static func jsonLayer(_ layer: Layer) -> [String] {
        let head = "{" + pairs(layer, json: true).map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
        switch layer.kind {
        case .group:
            if layer.body.isEmpty { return [head + ", \"layers\": []}"] }
            return [head + ", \"layers\": ["] + jsonList(layer.body).map { "  " + $0 } + ["]}"]
        case .parallel:
            if layer.branches.isEmpty { return [head + ", \"branches\": []}"] }
            var lines = [head + ", \"branches\": ["]
            for (b, branch) in layer.branches.enumerated() {
                let comma = b + 1 < layer.branches.count ? "," : ""
                if branch.isEmpty { lines.append("  []" + comma); continue }
                lines.append("  [")
                lines += jsonList(branch).map { "    " + $0 }
                lines.append("  ]" + comma)
            }
            return lines + ["]}"]
        default:
            return [head + "}"]
        }
    }

    private static func pairs(_ layer: Layer, json: Bool) -> [(String, String)] {
        var p: [(String, String)] = [("kind", json ? "\"\(layer.kind.rawValue)\"" : layer.kind.rawValue)]
        if let name = layer.name { p.append(("name", quoted(name))) }
        for spec in Schema.fields(of: layer.kind) {
            guard let v = layer.fields[spec.field] else { continue }
            // Words (auto, an option) are bare in YAML and strings in JSON.
            let word: Bool
            switch v {
            case .auto, .option: word = true
            case .int, .bool, .ints: word = false
            }
            p.append((spec.name, word && json ? "\"\(v.description)\"" : v.description))
        }
        if !layer.trainable { p.append(("trainable", "false")) }
        return p
    }

    /// A double-quoted string valid in both JSON and YAML, control characters escaped.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

public enum SaveError: Error, Equatable, CustomStringConvertible {
    case failed(path: String, reason: String)
    public var description: String {
        switch self {
        case .failed(let path, let reason): return "could not save \(TerminalSafe.escape(path)): \(reason)"
        }
    }
}

extension ModelFile {
    /// Writes beside the file, flushes it to disk, then renames over the file: a reader (or a crash)
    /// sees the old file or the new one, never half of one. Keeps the file's permissions.
    ///
    /// A symbolic link stays a link: the file it leads to is the one replaced. A file with several
    /// hard links is written in place instead, so every name keeps seeing one file; its new
    /// contents are first written completely beside it, so a full disk fails before the file is
    /// touched, and a failure part way through leaves them in NAME.recovered.EXT.
    public static func save(_ model: Model, to path: String, format: FileFormat? = nil) throws(SaveError) {
        let text = ModelWriter.text(model, format: format ?? FileFormat(path: path))
        let target = try resolvingLinks(path)
        let url = URL(fileURLWithPath: target)
        let dir = url.deletingLastPathComponent().path
        let temp = dir + "/." + url.lastPathComponent + ".paramcount-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        var mode: mode_t = 0o644
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists { mode = st.st_mode & 0o7777 }
        let bytes = Array(text.utf8)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .failed(path: path, reason: String(cString: strerror(errno))) }
        var reason = writeAll(fd, bytes)
        if reason == nil && fsync(fd) != 0 { reason = String(cString: strerror(errno)) }
        fchmod(fd, mode)
        close(fd)
        if reason == nil {
            if exists && st.st_nlink > 1 && (st.st_mode & S_IFMT) == S_IFREG {
                reason = overwriteInPlace(target, bytes, keeping: temp)
                if reason == nil { unlink(temp) }
            } else if rename(temp, target) != 0 {
                reason = String(cString: strerror(errno))
            }
        }
        if let reason {
            unlink(temp)
            throw .failed(path: path, reason: reason)
        }
        // Make the rename itself durable.
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
        removeOrphans(dir: dir, name: url.lastPathComponent)
    }

    /// The file a path leads to through any symbolic links (which may not exist yet: saving creates
    /// it). Links are followed one at a time, so a link to a missing file still names where to write.
    static func resolvingLinks(_ path: String) throws(SaveError) -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { throw .failed(path: path, reason: String(cString: strerror(errno))) }
            let destination = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        throw .failed(path: path, reason: "it is a symbolic link that leads back to itself (a loop of links)")
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += n
        }
        return nil
    }

    /// Writes over a hard-linked file without replacing it. `copy` holds the complete new contents;
    /// if the file may have been left half written, the copy is kept as its recovery file and the
    /// reason says where.
    private static func overwriteInPlace(_ path: String, _ bytes: [UInt8], keeping copy: String) -> String? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var failure = writeAll(fd, bytes)
        if failure == nil && ftruncate(fd, off_t(bytes.count)) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        guard let failure else { return nil }
        let kept = Recovery.path(for: path)
        guard rename(copy, kept) == 0 else { return failure }
        return failure + "; the file may be incomplete, and the new contents are in " + TerminalSafe.escape(kept)
    }

    /// Temporary files left by a writer that was killed mid-save (their process is gone).
    static func removeOrphans(dir: String, name: String) {
        let prefix = "." + name + ".paramcount-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let pidText = entry.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((dir.isEmpty ? "." : dir) + "/" + entry)
        }
    }
}
