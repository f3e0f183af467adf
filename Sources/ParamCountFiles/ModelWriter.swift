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
        out += "layers:\n"
        for layer in model.layers {
            var first = true
            for (key, value) in pairs(layer, json: false) {
                out += (first ? "  - " : "    ") + key + ": " + value + "\n"
                first = false
            }
        }
        return out
    }

    public static func json(_ model: Model) -> String {
        var out = "{\n"
        if let name = model.name { out += "  \"name\": \(quoted(name)),\n" }
        out += "  \"convention\": \"\(model.convention.rawValue)\",\n  \"layers\": [\n"
        for (i, layer) in model.layers.enumerated() {
            let body = pairs(layer, json: true).map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
            out += "    {" + body + "}" + (i + 1 < model.layers.count ? "," : "") + "\n"
        }
        return out + "  ]\n}\n"
    }

    private static func pairs(_ layer: Layer, json: Bool) -> [(String, String)] {
        var p: [(String, String)] = [("kind", json ? "\"\(layer.kind.rawValue)\"" : layer.kind.rawValue)]
        if let name = layer.name { p.append(("name", quoted(name))) }
        for spec in Schema.fields(of: layer.kind) {
            guard let v = layer.fields[spec.field] else { continue }
            p.append((spec.name, v == .auto ? (json ? "\"auto\"" : "auto") : v.description))
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
    /// Writes beside the target, flushes it to disk, then renames over the target: a reader (or a
    /// crash) sees the old file or the new one, never half of one. Keeps the target's permissions.
    public static func save(_ model: Model, to path: String, format: FileFormat? = nil) throws(SaveError) {
        let text = ModelWriter.text(model, format: format ?? FileFormat(path: path))
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let temp = dir + "/." + url.lastPathComponent + ".paramcount-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        var mode: mode_t = 0o644
        var st = stat()
        if stat(path, &st) == 0 { mode = st.st_mode & 0o7777 }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .failed(path: path, reason: String(cString: strerror(errno))) }
        var ok = true
        var reason = ""
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                ok = false; reason = String(cString: strerror(errno)); break
            }
            written += n
        }
        if ok && fsync(fd) != 0 { ok = false; reason = String(cString: strerror(errno)) }
        fchmod(fd, mode)
        close(fd)
        if ok && rename(temp, path) != 0 { ok = false; reason = String(cString: strerror(errno)) }
        if !ok {
            unlink(temp)
            throw .failed(path: path, reason: reason)
        }
        // Make the rename itself durable.
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
        removeOrphans(dir: dir, name: url.lastPathComponent)
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
