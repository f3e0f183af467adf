import Foundation

/// Standard output for the commands that print. `print` buffers and drops write errors at exit, so
/// `paramcount count … > /dev/full` used to succeed; here every byte is written or the command
/// fails (exit 1, with the reason).
enum Output {
    struct Failure: Error {
        var reason: String
    }

    static func write(_ text: String) throws(Failure) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { endLikeAClosedPipe() }
                throw Failure(reason: String(cString: strerror(errno)))
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// The reader went away (`| head -1`): stop quietly, the way other tools do when SIGPIPE ends
    /// them, even when SIGPIPE was ignored by whoever started us (then the write fails with EPIPE).
    private static func endLikeAClosedPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        raise(SIGPIPE)
        _exit(128 + SIGPIPE)
    }
}
