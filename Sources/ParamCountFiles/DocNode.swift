/// A parsed file before it is read as a model: the shape shared by YAML and JSON, with the line each
/// value starts on so errors can point at it.
struct DocNode {
    enum Value {
        /// A number as written: what it means depends on the field it is read for (a width must be
        /// a decimal integer, see `IntegerText`), and a name keeps the text as it was written.
        case number(String)
        case bool(Bool)
        case string(String)
        case null
        case list([DocNode])
        case map([(key: String, value: DocNode)])
    }

    var value: Value
    var line: Int?

    /// How the value is described in an error message.
    var describe: String {
        switch value {
        case .number(let s): return TerminalSafe.escapeShort(s)
        case .bool(let b): return String(b)
        case .string(let s): return "\"" + TerminalSafe.escapeShort(s) + "\""
        case .null: return "nothing (null)"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}

import ParamCountCore

extension TerminalSafe {
    /// Escaped and cut short, for quoting a user's value inside an error message.
    static func escapeShort(_ s: String, limit: Int = 40) -> String {
        let e = escape(s)
        return e.count <= limit ? e : String(e.prefix(limit)) + "…"
    }
}
