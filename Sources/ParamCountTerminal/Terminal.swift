import CNcurses
import Foundation
import ParamCountApp

/// Flags set by signal handlers and read by the loop; handlers may only touch plain memory.
nonisolated(unsafe) private var stopSignal: Int32 = 0
nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var haveSavedTermios = false

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
        if tcgetattr(STDIN_FILENO, &savedTermios) == 0 { haveSavedTermios = true }

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
        if haveSavedTermios { tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
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
        // A crash (a Swift trap is SIGILL) does not unwind: restore the terminal here with
        // async-signal-safe calls only, then die of the same signal.
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
            signal(sig) { s in
                if haveSavedTermios { tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
                let reset: StaticString = "\u{1B}[0m\u{1B}[?1000l\u{1B}[?25h\u{1B}[?1049l\r\n"
                _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}
