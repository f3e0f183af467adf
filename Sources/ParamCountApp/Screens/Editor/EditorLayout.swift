import ParamCountCore

/// Where things go on a screen of a given size; shared by the renderer and by the reducer (for
/// scrolling and mouse clicks).
public struct Layout: Equatable, Sendable {
    public static let minWidth = 60
    public static let minHeight = 16

    public let width: Int
    public let height: Int

    public var tooSmall: Bool { width < Layout.minWidth || height < Layout.minHeight }
    public var paneTop: Int { 1 }
    public var paneHeight: Int { height - 3 }
    public var listWidth: Int { width >= 110 ? width / 2 : width * 53 / 100 }
    public var listTop: Int { paneTop + 1 }
    public var listRows: Int { max(1, paneHeight - 2) }
    public var formLeft: Int { listWidth }
    public var formWidth: Int { width - listWidth }
    public var formTop: Int { paneTop + 1 }
    public var totalsRow: Int { height - 2 }
    public var hintRow: Int { height - 1 }
}

/// Mouse clicks on the editor: a layer row selects it, a form row focuses that field.
extension AppState {
    mutating func click(x: Int, y: Int) {
        let l = layout
        guard case .normal = mode, screen == .editor else { return }
        if x < l.listWidth, y >= l.listTop, y < l.listTop + l.listRows {
            let i = document.scroll + (y - l.listTop)
            if i < document.rows.count {
                document.selection = i
                focus = .list
                clampField()
            }
        } else if x >= l.listWidth, y >= l.formTop, y < l.formTop + formRows.count {
            focus = .form
            document.field = y - l.formTop
        }
    }
}
