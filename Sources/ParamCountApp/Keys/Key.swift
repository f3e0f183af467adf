/// A key as the app sees it; the terminal adapter decodes ncurses codes into these once.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case shiftUp, shiftDown
    case mouseClick(x: Int, y: Int)
    case wheelUp, wheelDown

    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .shiftUp: return "S-↑"
        case .shiftDown: return "S-↓"
        case .mouseClick: return "click"
        case .wheelUp: return "wheel↑"
        case .wheelDown: return "wheel↓"
        }
    }
}
