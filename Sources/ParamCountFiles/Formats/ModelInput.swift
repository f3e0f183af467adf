import Foundation
import ParamCountCore

/// A file, folder or stream about to be read, holding what it takes to tell the formats apart: its
/// name, its size and its first bytes. The rest is read only when a reader asks for it, so a
/// reader of a checkpoint of many gigabytes can stop at its header.
public final class ModelInput {
    public let reference: ModelReference
    /// How error messages name it.
    public let name: String
    public let isFolder: Bool
    /// The size of a regular file; for a pipe, a device or standard input, the size of what was
    /// read (all of it, at most `ModelFile.maxBytes` + 1 bytes).
    public let size: Int
    /// The first `headLength` bytes, or all of them for a shorter file.
    public let head: [UInt8]

    static let headLength = 4096

    private var fd: Int32 = -1
    private var whole: [UInt8]?
    private var parsedJSON: Result<DocNode, ModelError>?

    /// Contents already in memory (tests, the fuzzer, standard input once read).
    init(bytes: [UInt8], reference: ModelReference, name: String? = nil) {
        self.reference = reference
        self.name = name ?? reference.displayName
        isFolder = false
        size = bytes.count
        head = Array(bytes.prefix(Self.headLength))
        whole = bytes
    }

    /// Opens the file or folder a reference names, or reads standard input (bounded).
    init(_ reference: ModelReference) throws(ModelError) {
        self.reference = reference
        name = reference.displayName
        switch reference {
        case .preset:
            throw ModelError(file: name, "a preset is not a file")
        case .folder:
            isFolder = true
            size = 0
            head = []
        case .standardInput:
            let bytes = try Self.readAll(fd: STDIN_FILENO, name: name, already: [])
            isFolder = false
            size = bytes.count
            head = Array(bytes.prefix(Self.headLength))
            whole = bytes
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Self.openError(path: path, errno: errno) }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                let e = errno
                close(fd)
                throw ModelError(file: path, "cannot be read: " + String(cString: strerror(e)))
            }
            isFolder = false
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                close(fd)
                throw ModelError(file: path, "is a folder, not a model file")
            case S_IFREG:
                self.fd = fd
                size = Int(st.st_size)
                head = try Self.read(fd: fd, upTo: Self.headLength, name: path)
            default:
                // A pipe or a device reports no useful size, and what is read from it cannot be
                // read again: take all of it now, within the limit.
                defer { close(fd) }
                let bytes = try Self.readAll(fd: fd, name: path, already: [])
                size = bytes.count
                head = Array(bytes.prefix(Self.headLength))
                whole = bytes
            }
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    public var path: String? { reference.path }

    /// The contents when they are already in memory (standard input, a pipe, tests), else nil:
    /// checkpoint readers then read the file by ranges instead of whole.
    var bytesInMemory: [UInt8]? { whole }

    /// The file name's extension, lowercased ("json"), or "" for none (`.hidden` has none). Taken
    /// from the text: URL(fileURLWithPath:) asks the file system whether the path is a folder, and
    /// its first use was a sixth of the time a config.json took to count.
    public var pathExtension: String {
        guard let path else { return "" }
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// The whole contents, for formats read in full. Limited to `ModelFile.maxBytes`.
    public func contents() throws(ModelError) -> [UInt8] {
        if let whole {
            if whole.count > ModelFile.maxBytes { throw tooLarge }
            return whole
        }
        if size > ModelFile.maxBytes { throw tooLarge }
        // The file may have grown since fstat: read on from the head, one byte past the limit.
        let bytes = try Self.readAll(fd: fd, name: name, already: head, expected: size)
        whole = bytes
        if bytes.count > ModelFile.maxBytes { throw tooLarge }
        return bytes
    }

    /// Whether the contents look like JSON: a `.json` file, or a stream whose first character is `{`.
    public var looksLikeJSON: Bool {
        if path != nil { return pathExtension == "json" }
        var h = head[...]
        if h.starts(with: [0xEF, 0xBB, 0xBF]) { h = h.dropFirst(3) }
        return h.first { !JSONReader.isSpace($0) } == UInt8(ascii: "{")
    }

    /// The contents parsed as JSON, once, for every reader that looks at the keys to decide whether
    /// the file is its own.
    func json() throws(ModelError) -> DocNode {
        if parsedJSON == nil {
            do {
                let bytes = try contents()
                do { parsedJSON = .success(try JSONReader.parse(bytes)) } catch {
                    parsedJSON = .failure(ModelError(file: name, line: error.line, "is not valid JSON: \(error.message)"))
                }
            } catch { parsedJSON = .failure(error) }
        }
        return try parsedJSON!.get()
    }

    /// The keys of a top-level JSON object, or nil when the input is not one.
    public var jsonTopLevelKeys: Set<String>? {
        guard let root = try? json(), case .map(let entries) = root.value else { return nil }
        return Set(entries.map(\.key))
    }

    /// Whether a folder holds an entry of this name.
    public func folderHas(_ entry: String) -> Bool {
        guard isFolder, let path else { return false }
        var st = stat()
        return stat(path + "/" + entry, &st) == 0
    }

    /// The names in a folder, at most `limit` of them (a folder can hold millions).
    public func folderEntries(limit: Int = 100_000) -> [String] {
        guard isFolder, let path, let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while names.count < limit, let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private var tooLarge: ModelError {
        ModelError(file: name, "is larger than 16 MiB; model files are limited to 16 MiB")
    }

    private static func read(fd: Int32, upTo count: Int, name: String) throws(ModelError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out[filled...].withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ModelError(file: name, "cannot be read: " + String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        out.removeSubrange(filled...)
        return out
    }

    /// Everything left in `fd` after `already`, up to one byte past the limit (so a longer input is
    /// noticed without trusting a size it reports).
    /// `expected`, the size fstat reported, sizes the first read: a config.json of a few hundred
    /// bytes then costs a buffer of that size, not a cleared MiB (which was most of the time spent
    /// reading it, in a process that lives a few milliseconds).
    private static func readAll(fd: Int32, name: String, already: [UInt8], expected: Int? = nil) throws(ModelError) -> [UInt8] {
        var bytes = already
        var next = expected.map { max(0, $0 - already.count) + 1 } ?? (1 << 20)
        while bytes.count <= ModelFile.maxBytes {
            let chunk = try read(fd: fd, upTo: min(next, ModelFile.maxBytes + 1 - bytes.count), name: name)
            next = 1 << 20
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return bytes
    }

    private static func openError(path: String, errno code: Int32) -> ModelError {
        switch code {
        case ENOENT:
            var st = stat()
            if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { " (\($0))" } ?? ""
                return ModelError(file: path, "is a symbolic link to a file that does not exist" + target)
            }
            return ModelError(file: path, "no such file")
        case ELOOP:
            return ModelError(file: path, "is a symbolic link that leads back to itself (a loop of links)")
        case EACCES:
            return ModelError(file: path, "cannot be read: permission denied")
        case ENOTDIR:
            return ModelError(file: path, "no such file: a part of the path is not a folder")
        default:
            return ModelError(file: path, "cannot be read: " + String(cString: strerror(code)))
        }
    }
}
