import CNcurses
import ParamCountApp

/// Roles to colours and attributes. Monochrome uses attributes only and still shows selection,
/// focus, errors and edits.
struct Theme {
    struct Style {
        var fg: Int16
        var bg: Int16
        var bold = false
        var reverse = false
        var dim = false
        var underline = false
    }

    let styles: [Role: Style]

    func attributes(_ role: Role) -> UInt32 {
        let s = styles[role] ?? Style(fg: -1, bg: -1)
        var a = UInt32(pc_a_normal())
        if s.bold { a |= UInt32(pc_a_bold()) }
        if s.reverse { a |= UInt32(pc_a_reverse()) }
        if s.dim { a |= UInt32(pc_a_dim()) }
        if s.underline { a |= UInt32(pc_a_underline()) }
        if self.colours { a |= UInt32(bitPattern: pc_color_pair(Int32(role.rawValue) + 1)) }
        return a
    }

    var colours: Bool { styles.values.contains { $0.fg >= 0 || $0.bg >= 0 } }

    func install() {
        for role in Role.allCases {
            let s = styles[role] ?? Style(fg: -1, bg: -1)
            init_pair(Int16(role.rawValue) + 1, s.fg, s.bg)
        }
    }

    static let black: Int16 = 0, red: Int16 = 1, green: Int16 = 2, yellow: Int16 = 3, blue: Int16 = 4
    static let magenta: Int16 = 5, cyan: Int16 = 6, white: Int16 = 7, none: Int16 = -1

    static let dark = Theme(styles: [
        .normal: Style(fg: none, bg: none),
        .title: Style(fg: black, bg: cyan, bold: true),
        .modified: Style(fg: red, bg: cyan, bold: true),
        .border: Style(fg: blue, bg: none),
        .focusBorder: Style(fg: cyan, bg: none, bold: true),
        .heading: Style(fg: none, bg: none, bold: true),
        .selected: Style(fg: black, bg: cyan),
        .selectedDim: Style(fg: none, bg: none, reverse: true),
        .label: Style(fg: none, bg: none),
        .value: Style(fg: none, bg: none, bold: true),
        .inherited: Style(fg: cyan, bg: none),
        .defaultValue: Style(fg: none, bg: none, dim: true),
        .error: Style(fg: red, bg: none, bold: true),
        .stale: Style(fg: yellow, bg: none),
        .bar: Style(fg: green, bg: none),
        .hint: Style(fg: none, bg: none),
        .key: Style(fg: yellow, bg: none, bold: true),
        .total: Style(fg: white, bg: blue, bold: true),
        .dim: Style(fg: none, bg: none, dim: true),
        .message: Style(fg: green, bg: none, bold: true),
        .overlay: Style(fg: none, bg: none),
        .editing: Style(fg: black, bg: yellow),
        .deltaUp: Style(fg: red, bg: none, bold: true),
        .deltaDown: Style(fg: green, bg: none, bold: true),
        .bigDigit: Style(fg: none, bg: none, bold: true),
    ])

    static let monochrome = Theme(styles: [
        .title: Style(fg: none, bg: none, reverse: true),
        .modified: Style(fg: none, bg: none, bold: true, reverse: true),
        .focusBorder: Style(fg: none, bg: none, bold: true),
        .heading: Style(fg: none, bg: none, bold: true),
        .selected: Style(fg: none, bg: none, bold: true, reverse: true),
        .selectedDim: Style(fg: none, bg: none, underline: true),
        .value: Style(fg: none, bg: none, bold: true),
        .defaultValue: Style(fg: none, bg: none, dim: true),
        .error: Style(fg: none, bg: none, bold: true, underline: true),
        .stale: Style(fg: none, bg: none, dim: true),
        .key: Style(fg: none, bg: none, bold: true),
        .total: Style(fg: none, bg: none, reverse: true),
        .dim: Style(fg: none, bg: none, dim: true),
        .message: Style(fg: none, bg: none, bold: true),
        .editing: Style(fg: none, bg: none, underline: true),
        .deltaUp: Style(fg: none, bg: none, bold: true),
        .bigDigit: Style(fg: none, bg: none, bold: true),
    ])
}
