import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the binary on a pseudo-terminal and returns every byte it wrote.
func runOnPTY(_ arguments: [String], keys: [(delay: Double, bytes: String)], width: UInt16 = 100, height: UInt16 = 30,
              term: String = "xterm-256color") throws -> (bytes: [UInt8], status: Int32) {
    // posix_openpt and friends are not visible from Swift here; /dev/ptmx with the Linux ioctls is
    // what they do.
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0,
          ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0 else {
        throw POSIXError(.ENODEV)
    }
    let slavePath = "/dev/pts/\(number)"
    var size = winsize(ws_row: height, ws_col: width, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
    posix_spawn_file_actions_addclose(&actions, master)
    var attr = Spawn.cleanSignals()
    defer { posix_spawnattr_destroy(&attr) }
    let env = ["TERM=\(term)", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME=/tmp"]
    var argv: [UnsafeMutablePointer<CChar>?] = ([Binary.path] + arguments).map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, Binary.path, &actions, &attr, &argv, &envp) == 0 else { throw POSIXError(.ENOEXEC) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    func drain(for seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 20) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { return }
                output.append(contentsOf: buffer[0..<n])
            }
        }
    }
    drain(for: 1.0)
    for key in keys {
        _ = key.bytes.withCString { write(master, $0, strlen($0)) }
        drain(for: key.delay)
    }
    var status: Int32 = 0
    for _ in 0..<100 where waitpid(pid, &status, WNOHANG) == 0 { drain(for: 0.05) }
    if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
    close(master)
    return (output, status)
}

@Suite("terminal safety")
struct TerminalSafetyTests {
    /// Names with a screen clear, a title change (OSC) and a C1 CSI in them.
    let hostile = """
        name: "\\e]0;pwned\\u0007 model"
        layers:
          - kind: dense
            name: "clear\\e[2Jscreen"
            in: 4
            out: 4
          - kind: dense
            name: "c1\\u009b31mred"
            out: 2
        """

    @Test func noEscapeSequenceFromAFileReachesTheTerminal() throws {
        let path = try Binary.temporaryFile("evil.yaml", hostile)
        let bytes = try runOnPTY([path], keys: [(0.3, "j"), (0.3, "\t"), (0.3, "?"), (0.3, "\u{1B}"), (0.5, "q")]).bytes
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("clear\\e[2Jscreen"), "the name is shown, escaped")
        #expect(!text.contains("\u{1B}]0;pwned"))
        #expect(!text.contains("clear\u{1B}[2J"))
        #expect(!bytes.contains(0x9B), "a C1 control byte reached the terminal")
        #expect(!text.unicodeScalars.contains("\u{9B}"))
    }

    @Test func aTerminalThatCannotMoveTheCursorGetsAMessage() throws {
        for term in ["dumb", "no-such-terminal-type"] {
            let r = try runOnPTY([], keys: [], term: term)
            let text = String(decoding: r.bytes, as: UTF8.self)
            #expect(text.contains("paramcount count"), "TERM=\(term): \(text)")
            #expect((r.status >> 8) & 0xFF == 2, "TERM=\(term) exit status")
        }
    }

    @Test func countCommandEscapesInEveryFormat() throws {
        let path = try Binary.temporaryFile("evil.yaml", hostile)
        for format in ["table", "csv", "markdown", "json"] {
            let r = try Binary.run(["count", path, "--format", format])
            #expect(r.status == 0)
            #expect(!r.stdout.contains("\u{1B}"), "\(format)")
            #expect(!r.stdout.unicodeScalars.contains("\u{9B}"), "\(format)")
        }
    }
}
