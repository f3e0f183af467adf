import Foundation

/// The Swift runtime's crash reporter asks "press space to interact" and waits 30 s when stdin is
/// a terminal, unless SWIFT_BACKTRACE says otherwise. It reads that variable while the runtime
/// loads, before any of our code runs, so setting it in main() would be too late: when it would
/// prompt, the program starts itself again once with `interactive=no` added. A crash then prints
/// its report after the terminal is restored (see Terminal's fatal-signal handlers) and ends.
enum Backtracer {
    static func makeNonInteractive() {
        // Only a terminal on stdin makes the default prompt.
        guard isatty(STDIN_FILENO) == 1 else { return }
        let current = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] ?? ""
        let keys = current.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        // The user's own choice stands, and a second start finds the key set.
        guard !keys.contains("interactive") else { return }
        setenv("SWIFT_BACKTRACE", (current.isEmpty ? "" : current + ",") + "interactive=no", 1)
        #if os(Linux)
        // The file /proc/self/exe names, not the link itself: exec'd through the link, the process
        // would be called "exe" in ps, top and pkill.
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if readlink("/proc/self/exe", &path, path.count - 1) > 0 {
            execv(path, CommandLine.unsafeArgv)
        }
        #else
        execvp(CommandLine.unsafeArgv[0]!, CommandLine.unsafeArgv)
        #endif
        // exec failed: carry on; the fatal-signal handlers still restore the terminal first.
    }
}
