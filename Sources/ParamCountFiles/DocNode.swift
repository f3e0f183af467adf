/// A parsed file before it is read as a model: the shape shared by YAML and JSON, with the line each
/// value starts on so errors can point at it.
struct DocNode {
    enum Value {
        case int(Int)
        /// An integer literal outside the 64-bit range.
        case bigInt(String)
        case double(Double)
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
        case .int(let n): return String(n)
        case .bigInt(let s): return s
        case .double(let d): return String(d)
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
