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

    /// Colour pairs per theme; each theme owns a block of this many.
    static let slots = Role.allCases.count + 1

    func attributes(_ role: Role, base: Int) -> UInt32 {
        let s = styles[role] ?? Style(fg: -1, bg: -1)
        var a = UInt32(pc_a_normal())
        if s.bold { a |= UInt32(pc_a_bold()) }
        if s.reverse { a |= UInt32(pc_a_reverse()) }
        if s.dim { a |= UInt32(pc_a_dim()) }
        if s.underline { a |= UInt32(pc_a_underline()) }
        if self.colours { a |= UInt32(bitPattern: pc_color_pair(Int32(base + Int(role.rawValue) + 1))) }
        return a
    }

    var colours: Bool { styles.values.contains { $0.fg >= 0 || $0.bg >= 0 } }

    func install(base: Int) {
        for role in Role.allCases {
            let s = styles[role] ?? Style(fg: -1, bg: -1)
            init_pair(Int16(base + Int(role.rawValue) + 1), s.fg, s.bg)
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
        .selectedDim: Style(fg: black, bg: white),
        .label: Style(fg: none, bg: none),
        // Roles whose cells change on every keystroke use colour, not bold: turning an attribute
        // off costs a full reset sequence per change over the wire.
        .value: Style(fg: white, bg: none),
        .inherited: Style(fg: cyan, bg: none),
        .defaultValue: Style(fg: none, bg: none, dim: true),
        .error: Style(fg: red, bg: none, bold: true),
        .stale: Style(fg: yellow, bg: none),
        .bar: Style(fg: green, bg: none),
        .hint: Style(fg: none, bg: none),
        .key: Style(fg: yellow, bg: none, bold: true),
        .total: Style(fg: white, bg: blue),
        .dim: Style(fg: none, bg: none, dim: true),
        .message: Style(fg: green, bg: none, bold: true),
        .overlay: Style(fg: none, bg: none),
        .editing: Style(fg: black, bg: yellow),
        .deltaUp: Style(fg: red, bg: none, bold: true),
        .deltaDown: Style(fg: green, bg: none, bold: true),
        .bigDigit: Style(fg: none, bg: none, bold: true),
    ])

    /// For a projector: bold, saturated, white on black.
    static let classroomDark = Theme(styles: [
        .normal: Style(fg: white, bg: black, bold: true),
        .title: Style(fg: black, bg: yellow, bold: true),
        .modified: Style(fg: red, bg: yellow, bold: true),
        .border: Style(fg: white, bg: black),
        .focusBorder: Style(fg: yellow, bg: black, bold: true),
        .heading: Style(fg: yellow, bg: black, bold: true),
        .selected: Style(fg: black, bg: yellow, bold: true),
        .selectedDim: Style(fg: black, bg: white, bold: true),
        .label: Style(fg: white, bg: black, bold: true),
        .value: Style(fg: white, bg: black, bold: true),
        .inherited: Style(fg: cyan, bg: black, bold: true),
        .defaultValue: Style(fg: white, bg: black),
        .error: Style(fg: red, bg: black, bold: true),
        .stale: Style(fg: yellow, bg: black),
        .bar: Style(fg: green, bg: black, bold: true),
        .hint: Style(fg: white, bg: black),
        .key: Style(fg: yellow, bg: black, bold: true),
        .total: Style(fg: black, bg: white, bold: true),
        .dim: Style(fg: white, bg: black),
        .message: Style(fg: green, bg: black, bold: true),
        .overlay: Style(fg: white, bg: black, bold: true),
        .editing: Style(fg: black, bg: yellow, bold: true),
        .deltaUp: Style(fg: red, bg: black, bold: true),
        .deltaDown: Style(fg: green, bg: black, bold: true),
        .bigDigit: Style(fg: yellow, bg: black, bold: true),
    ])

    /// For a bright room: black on white.
    static let classroomLight = Theme(styles: [
        .normal: Style(fg: black, bg: white),
        .title: Style(fg: white, bg: blue, bold: true),
        .modified: Style(fg: yellow, bg: blue, bold: true),
        .border: Style(fg: black, bg: white),
        .focusBorder: Style(fg: blue, bg: white, bold: true),
        .heading: Style(fg: blue, bg: white, bold: true),
        .selected: Style(fg: white, bg: blue, bold: true),
        .selectedDim: Style(fg: white, bg: black, bold: true),
        .label: Style(fg: black, bg: white, bold: true),
        .value: Style(fg: black, bg: white, bold: true),
        .inherited: Style(fg: blue, bg: white, bold: true),
        .defaultValue: Style(fg: black, bg: white),
        .error: Style(fg: red, bg: white, bold: true),
        .stale: Style(fg: magenta, bg: white, bold: true),
        .bar: Style(fg: blue, bg: white),
        .hint: Style(fg: black, bg: white),
        .key: Style(fg: blue, bg: white, bold: true),
        .total: Style(fg: white, bg: black, bold: true),
        .dim: Style(fg: black, bg: white),
        .message: Style(fg: blue, bg: white, bold: true),
        .overlay: Style(fg: black, bg: white),
        .editing: Style(fg: black, bg: yellow, bold: true),
        .deltaUp: Style(fg: red, bg: white, bold: true),
        .deltaDown: Style(fg: green, bg: white, bold: true),
        .bigDigit: Style(fg: blue, bg: white, bold: true),
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
