import CNcurses
import Foundation
import ParamCountApp

/// Flags set by signal handlers and read by the loop; handlers may only touch plain memory.
nonisolated(unsafe) private var stopSignal: Int32 = 0
/// Heap memory, not a Swift global: the global was laid out 57 bytes long in the debug build while
/// tcgetattr writes glibc's 60, so the last bytes landed on the next globals (AddressSanitizer:
/// global-buffer-overflow) and the editor crashed at its first key once the globals moved. A
/// generous raw buffer holds whatever the C library writes.
nonisolated(unsafe) private let savedTermios: UnsafeMutablePointer<termios> = {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(256, MemoryLayout<termios>.stride), alignment: 16)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(256, MemoryLayout<termios>.stride))
    return raw.bindMemory(to: termios.self, capacity: 1)
}()
nonisolated(unsafe) private var haveSavedTermios = false
/// What a fatal signal's handler needs, prepared before any signal can arrive: the bytes that give
/// the terminal back, and the handler each signal had before ours (the Swift runtime's crash
/// reporter, for crashes). Raw memory, so the handler reads it without reference counting.
nonisolated(unsafe) private var restoreBytes: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var restoreCount = 0
nonisolated(unsafe) private var previousActions: UnsafeMutablePointer<sigaction>?
private let signalSlots = 65

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case cannotStart(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the editor needs a terminal (stdin and stdout must both be a TTY); to print counts use: paramcount count FILE"
        case .cannotStart(let why):
            return "cannot start the full-screen editor: \(why); to print counts use: paramcount count FILE"
        }
    }
}

/// The real terminal through ncurses. The only code that imports it.
public struct Terminal: Screen {
    private var previous: Grid?
    private let colours: Bool
    public let ascii: Bool

    public var stopRequested: Bool { stopSignal != 0 }
    /// The signal that stopped the loop, if one did.
    public var stoppedBySignal: Int32 { stopSignal }

    /// Starts curses, or throws without writing anything to the terminal.
    public init(forceMonochrome: Bool = false) throws {
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let codeset = String(cString: pc_codeset())
        ascii = codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8"
        if tcgetattr(STDIN_FILENO, savedTermios) == 0 { haveSavedTermios = true }

        // newterm, unlike initscr, returns NULL instead of exiting when the terminal is unknown.
        guard let screen = pc_newterm() else {
            throw TerminalError.cannotStart("TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "(unset)") is not a known terminal")
        }
        set_term(screen)
        guard let cup = tigetstr("cup"), Int(bitPattern: cup) != -1, Int(bitPattern: cup) != 0 else {
            endwin()
            throw TerminalError.cannotStart("this terminal cannot move the cursor")
        }
        raw()
        noecho()
        nonl()
        keypad(pc_stdscr(), true)
        // Insert/delete-line scrolling saves little on this screen and costs a scroll region per
        // update when wrapped lines shift: plain cell updates are smaller.
        idlok(pc_stdscr(), false)
        scrollok(pc_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        // A short timeout so the loop sees signal flags; no redraw happens while idle.
        wtimeout(pc_stdscr(), 100)
        mousemask(pc_button1_clicked() | pc_button4_pressed() | pc_button5_pressed(), nil)
        mouseinterval(0)

        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        colours = !forceMonochrome && !noColor && has_colors()
        if colours {
            start_color()
            use_default_colors()
            Theme.dark.install(base: 0)
            Theme.classroomDark.install(base: Theme.slots)
            Theme.classroomLight.install(base: 2 * Theme.slots)
        }
        Terminal.prepareRestore()
        Terminal.installSignalHandlers()
    }

    public var size: (width: Int, height: Int) { (Int(getmaxx(pc_stdscr())), Int(getmaxy(pc_stdscr()))) }

    public mutating func nextKey() -> Action? {
        var ch: wint_t = 0
        let r = wget_wch(pc_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES {
            switch Int32(ch) {
            case KEY_RESIZE:
                previous = nil
                return .resize(width: size.width, height: size.height)
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if event.bstate & pc_button4_pressed() != 0 { return .key(.wheelUp) }
                if pc_button5_pressed() != 0 && event.bstate & pc_button5_pressed() != 0 { return .key(.wheelDown) }
                return .key(.mouseClick(x: Int(event.x), y: Int(event.y)))
            default:
                return Terminal.decode(keyCode: Int32(ch)).map { .key($0) }
            }
        }
        return Terminal.decode(character: UInt32(ch)).map { .key($0) }
    }

    static func decode(keyCode: Int32) -> Key? {
        switch keyCode {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        default: return nil
        }
    }

    static func decode(character c: UInt32) -> Key? {
        switch c {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(UnicodeScalar(c + 96)!))
        case 0..<32: return nil
        default:
            guard let scalar = UnicodeScalar(c), !(0x7F..<0xA0).contains(c) else { return nil }
            return .char(Character(scalar))
        }
    }

    public mutating func draw(_ grid: Grid) {
        // A new size or palette changes every cell: repaint all.
        let old = previous.flatMap { $0.width == grid.width && $0.height == grid.height && $0.palette == grid.palette ? $0 : nil }
        if old == nil { werase(pc_stdscr()) }
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                let cell = grid[x, y]
                if let old, old[x, y] == cell { x += 1; continue }
                // Runs of changed cells with one role go out in one call.
                var run = ""
                let start = x
                while x < grid.width, grid[x, y].role == cell.role, old.map({ $0[x, y] != grid[x, y] }) ?? true {
                    run += grid[x, y].text
                    x += 1
                }
                var wide = run.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                wattrset(pc_stdscr(), Int32(bitPattern: attributes(cell.role, grid.palette)))
                _ = mvwaddwstr(pc_stdscr(), Int32(y), Int32(start), &wide)
            }
        }
        wnoutrefresh(pc_stdscr())
        doupdate()
        previous = grid
    }

    private func attributes(_ role: Role, _ palette: Palette) -> UInt32 {
        guard colours else { return Theme.monochrome.attributes(role, base: 0) }
        switch palette {
        case .standard: return Theme.dark.attributes(role, base: 0)
        case .classroomDark: return Theme.classroomDark.attributes(role, base: Theme.slots)
        case .classroomLight: return Theme.classroomLight.attributes(role, base: 2 * Theme.slots)
        }
    }

    /// Leaves curses and puts the terminal back as it was.
    public func stop() {
        endwin()
        if haveSavedTermios { tcsetattr(STDIN_FILENO, TCSANOW, savedTermios) }
    }

    private static func installSignalHandlers() {
        // A parent may have started us with these blocked; resizing and stopping need them.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { sigaddset(&wanted, sig) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        // Stop requests only set a flag; the loop sees it within one poll interval.
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { s in stopSignal = s }
        }
        installFatalHandlers()
    }

    /// Every signal whose default action ends the process, but for the three that stop the editor
    /// gracefully (SIGINT, SIGTERM, SIGHUP) and SIGPIPE (the terminal is not a pipe).
    static var fatalSignals: [Int32] {
        var signals = [SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGUSR1, SIGUSR2, SIGALRM,
                       SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS, SIGIO]
        #if os(Linux)
        signals += [SIGSTKFLT, SIGPWR]
        signals += Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())
        #endif
        return signals.filter { $0 > 0 && $0 < Int32(signalSlots) }
    }

    /// The bytes that undo what the editor did to the terminal, from its terminfo entry where it has
    /// one: mouse reporting in every encoding ncurses may have asked for, bracketed paste, colours,
    /// the keypad's application mode, the hidden cursor, the alternate screen.
    private static func prepareRestore() {
        var bytes = Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1005l\u{1B}[?1006l\u{1B}[?1015l\u{1B}[?2004l".utf8)
        for (cap, fallback) in [("sgr0", "\u{1B}[0m"), ("rmkx", "\u{1B}[?1l\u{1B}>"), ("cnorm", "\u{1B}[?25h"),
                                ("rmcup", "\u{1B}[?1049l")] {
            if let s = tigetstr(cap), Int(bitPattern: s) != -1 {
                bytes += withoutPadding(Array(String(cString: s).utf8))
            } else {
                bytes += Array(fallback.utf8)
            }
        }
        bytes += Array("\r\n".utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        restoreBytes = buffer
        restoreCount = bytes.count
    }

    /// Terminfo delays ($<5>) are for tputs; written raw they would show as text.
    private static func withoutPadding(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "$"), i + 1 < s.count, s[i + 1] == UInt8(ascii: "<"),
               let close = s[(i + 2)...].firstIndex(of: UInt8(ascii: ">")) {
                i = close + 1
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// A fatal signal does not unwind: the handler gives the terminal back with async-signal-safe
    /// calls only, lets the handler that was there before run (the Swift runtime prints its crash
    /// report, never interactively: see `Backtracer`), then ends the process as the signal's
    /// default action would, whatever that handler did.
    private static func installFatalHandlers() {
        let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: signalSlots)
        previous.initialize(repeating: sigaction(), count: signalSlots)
        previousActions = previous
        var unblock = sigset_t()
        sigemptyset(&unblock)
        var blockedInHandler = sigset_t()
        sigfillset(&blockedInHandler)
        for sig in fatalSignals { sigdelset(&blockedInHandler, sig) }
        for sig in fatalSignals {
            var current = sigaction()
            guard sigaction(sig, nil, &current) == 0 else { continue }
            // Ignored by whoever started us (nohup, a service manager): it stays ignored.
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }
            previous[Int(sig)] = current
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { s, info, context in
                if haveSavedTermios { tcsetattr(STDIN_FILENO, TCSANOW, savedTermios) }
                if let restoreBytes { _ = write(STDOUT_FILENO, restoreBytes, restoreCount) }
                if let previousActions {
                    var before = previousActions[Int(s)]
                    sigaction(s, &before, nil)
                    let handler = before.__sigaction_handler
                    if before.sa_flags & SA_SIGINFO != 0, let chained = handler.sa_sigaction {
                        chained(s, info, context)
                    } else if unsafeBitCast(handler.sa_handler, to: Int.self) > 1, let chained = handler.sa_handler {
                        chained(s)
                    }
                }
                var byDefault = sigaction()
                sigemptyset(&byDefault.sa_mask)
                sigaction(s, &byDefault, nil)
                var only = sigset_t()
                sigemptyset(&only)
                sigaddset(&only, s)
                pthread_sigmask(SIG_UNBLOCK, &only, nil)
                raise(s)
            }
            // As the runtime installs its own: on the alternate stack it set up (so a stack overflow
            // still gets here), and with the crash signals left unblocked, since the runtime's
            // reporter starts a thread that relies on catching SIGSEGV while it reads memory.
            action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER
            action.sa_mask = blockedInHandler
            sigaction(sig, &action, nil)
            sigaddset(&unblock, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
