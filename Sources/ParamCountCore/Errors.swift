/// A problem with one layer, found while resolving or counting it.
public struct LayerError: Error, Sendable, Equatable {
    /// The field at fault, when one is.
    public var field: String?
    public var message: String

    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }

    public init(_ field: Field, _ message: String) {
        self.init(field: field.rawValue, message)
    }

    /// For a group or parallel nested deeper than the counter follows.
    public static func nestedTooDeep(depth: Int) -> LayerError {
        LayerError("is nested \(depth + 1) levels deep; groups and parallels nest at most \(Counter.maxNesting) levels")
    }
}

/// A problem with a model, located as precisely as we know: file, line, layer, field.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    /// 0-based index of the top-level layer the problem is in.
    public var layer: Int?
    /// Where the layer is when it is inside a group or parallel (`layers[2]/branches[0][1]`); for
    /// a top-level layer, `layer` says it all and this is that one step.
    public var path: LayerPath?
    /// The name of the layer at fault (the innermost one).
    public var layerName: String?
    public var field: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, layer: Int? = nil, path: LayerPath? = nil, layerName: String? = nil,
                field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.layer = layer ?? path?.topIndex
        self.path = path ?? layer.map(LayerPath.top)
        self.layerName = layerName
        self.field = field
        self.message = message
    }

    public init(layer index: Int, of model: Model, _ error: LayerError) {
        self.init(layer: index, layerName: model.layers[index].name, field: error.field, error.message)
    }

    /// A problem with the layer at `path`, which must lead to a layer of `model`.
    public init(path: LayerPath, of model: Model, _ error: LayerError) {
        self.init(path: path, layerName: model.layer(at: path)?.name, field: error.field, error.message)
    }

    public var description: String {
        var place: [String] = []
        if let file { place.append(TerminalSafe.escape(file) + (line.map { ":\($0)" } ?? "")) }
        else if let line { place.append("line \(line)") }
        var what: [String] = []
        if let path, path.steps.count > 1 {
            // A path through dozens of levels is cut in the middle: its ends say where it is.
            var s = path.steps.count <= 10 ? path.description
                : LayerPath(Array(path.steps.prefix(4))).description + "/…/" + LayerPath(Array(path.steps.suffix(4))).description
            if let layerName { s += " (\"\(TerminalSafe.escape(layerName))\")" }
            what.append(s)
        } else if let layer {
            var s = "layer \(layer + 1)"
            if let layerName { s += " (\"\(TerminalSafe.escape(layerName))\")" }
            what.append(s)
        }
        if let field { what.append("field '\(TerminalSafe.escape(field))'") }
        let head = (place + [what.joined(separator: ", ")]).filter { !$0.isEmpty }.joined(separator: ": ")
        return head.isEmpty ? message : head + ": " + message
    }
}

/// Text from files goes through here before it can reach a terminal, so a crafted name cannot send
/// escape sequences.
public enum TerminalSafe {
    public static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if !isControl(u) { out.unicodeScalars.append(u); continue }
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            default:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += u.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                                       : "\\u{" + hex + "}"
            }
        }
        return out
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0x20, 0x7F..<0xA0: return true
        // Bidirectional overrides and isolates can reorder what a terminal shows.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        // Invisible and joining characters (zero-width space and joiners, word joiner, BOM,
        // variation selectors, tags) and regional-indicator letters: terminals disagree on how
        // many columns they and the sequences they build take, so a row could overflow its
        // border. Shown escaped, every cell's width is known.
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0xFE00...0xFE0F, 0xE0000...0xE007F,
             0xE0100...0xE01EF, 0x1F1E6...0x1F1FF, 0x00AD, 0x180E: return true
        default: return false
        }
    }
}
