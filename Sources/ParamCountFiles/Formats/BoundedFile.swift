import Foundation
import ParamCountCore

/// A checkpoint opened for reading its header only. Checkpoints run to tens of gigabytes, so the
/// whole file is never read: callers ask for a range, and every range is checked against a cap the
/// caller names and against the size the file had when it was opened.
public final class BoundedFile {
    public let path: String
    /// The size `fstat` reported when the file was opened.
    public let size: UInt64
    private let fd: Int32

    public init(path: String) throws(ModelError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            switch e {
            case ENOENT: throw ModelError(file: path, "no such file")
            case EACCES: throw ModelError(file: path, "cannot be read: permission denied")
            default: throw ModelError(file: path, "cannot be opened: " + String(cString: strerror(e)))
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ModelError(file: path, "cannot be examined: " + reason)
        }
        // A folder, a pipe or a device has no meaningful size, and reading one could block forever.
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ModelError(file: path, (st.st_mode & S_IFMT) == S_IFDIR ? "is a folder, not a file" : "is not a regular file")
        }
        self.path = path
        self.fd = fd
        self.size = UInt64(max(0, st.st_size))
    }

    deinit { close(fd) }

    /// `count` bytes at `offset`. Throws when `count` exceeds `cap` (the caller's limit for what it
    /// is reading, named in `what`) or the range runs past the end of the file.
    public func read(at offset: UInt64, count: Int, cap: Int, what: String) throws(ModelError) -> [UInt8] {
        guard count >= 0, count <= cap else {
            throw ModelError(file: path, "\(what) would be \(count) bytes; at most \(cap) are allowed")
        }
        guard offset <= size, UInt64(count) <= size - offset else {
            throw ModelError(file: path, "\(what) runs past the end of the file: it needs bytes \(offset) to "
                             + "\(offset &+ UInt64(count)) but the file has \(size) bytes (a truncated download?)")
        }
        if count == 0 { return [] }
        var failure: ModelError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + UInt64(done)))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ModelError(file: path, "cannot be read: " + String(cString: strerror(errno)))
                    break
                }
                if n == 0 {
                    failure = ModelError(file: path, "became shorter while it was being read (\(what))")
                    break
                }
                done += n
            }
            if failure != nil { buffer.initialize(repeating: 0); done = count }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }
}

/// Sequential reading of a header whose length is not known in advance (GGUF), from a file through
/// a fixed-size window or from bytes already in memory. Memory stays at one window whatever the
/// file's size; skipping a run of bytes costs nothing.
struct ByteCursor {
    enum Source {
        case memory
        case file(BoundedFile)
    }

    static let windowBytes = 1 << 20

    let source: Source
    let file: String
    /// The size of the file (or of the bytes in memory).
    let end: UInt64
    /// Bytes past this offset are not header; reading them is an error (`limitMessage`).
    let limit: UInt64
    let limitMessage: String
    /// The position of the next byte to read, from the start of the file.
    private(set) var position: UInt64 = 0
    private var window: [UInt8]
    private var windowStart: UInt64 = 0

    init(bytes: [UInt8], file: String, limit: UInt64, limitMessage: String) {
        source = .memory
        window = bytes
        self.file = file
        end = UInt64(bytes.count)
        self.limit = min(limit, end)
        self.limitMessage = limitMessage
    }

    init(file handle: BoundedFile, limit: UInt64, limitMessage: String) {
        source = .file(handle)
        window = []
        file = handle.path
        end = handle.size
        self.limit = min(limit, end)
        self.limitMessage = limitMessage
    }

    /// What is left before the limit: the bound for every count or length read from the header.
    var remaining: UInt64 { limit - min(position, limit) }

    /// Makes `count` bytes at `position` available in `window`, returning their index there.
    private mutating func ensure(_ count: Int, what: @autoclosure () -> String) throws(ModelError) -> Int {
        guard UInt64(count) <= remaining else { throw endError(count, what()) }
        let end = position + UInt64(count)
        if position >= windowStart, end <= windowStart + UInt64(window.count) {
            return Int(position - windowStart)
        }
        guard case .file(let handle) = source else { throw endError(count, what()) }
        let want = Int(min(UInt64(max(count, Self.windowBytes)), limit - position))
        window = try handle.read(at: position, count: want, cap: max(count, Self.windowBytes), what: what())
        windowStart = position
        return 0
    }

    private func endError(_ count: Int, _ what: String) -> ModelError {
        if limit < end {
            return ModelError(file: file, "\(what) at byte \(position): \(limitMessage)")
        }
        return ModelError(file: file, "\(what) at byte \(position) needs \(count) bytes but the file ends at byte "
                          + "\(end) (a truncated download?)")
    }

    mutating func bytes(_ count: Int, what: @autoclosure () -> String) throws(ModelError) -> ArraySlice<UInt8> {
        let i = try ensure(count, what: what())
        position += UInt64(count)
        return window[i..<i + count]
    }

    mutating func skip(_ count: UInt64, what: @autoclosure () -> String) throws(ModelError) {
        guard count <= remaining else {
            if limit < end { throw ModelError(file: file, "\(what()) at byte \(position): \(limitMessage)") }
            throw ModelError(file: file, "\(what()) at byte \(position) is \(count) bytes long but only \(remaining) "
                             + "bytes of the file follow (a truncated download?)")
        }
        position += count
    }

    mutating func u8(_ what: @autoclosure () -> String) throws(ModelError) -> UInt8 {
        let i = try ensure(1, what: what())
        position += 1
        return window[i]
    }

    mutating func u32(_ what: @autoclosure () -> String, bigEndian: Bool) throws(ModelError) -> UInt32 {
        let i = try ensure(4, what: what())
        position += 4
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(window[i + k]) << (8 * k) }
        return bigEndian ? v.byteSwapped : v
    }

    mutating func u64(_ what: @autoclosure () -> String, bigEndian: Bool) throws(ModelError) -> UInt64 {
        let i = try ensure(8, what: what())
        position += 8
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(window[i + k]) << (8 * k) }
        return bigEndian ? v.byteSwapped : v
    }
}
