import ParamCountCore
import Yams

/// YAML syntax to a document tree; the schema is read from the tree by `ParamcountSchema`.
enum YAMLReader {
    static func parse(_ text: String, file: String) throws(ModelError) -> DocNode {
        var text = text
        let counted = text.withUTF8 { LayerPrescan.count($0, limit: ModelFile.maxLayers) }
        if let counted, counted.entries > ModelFile.maxLayers {
            throw ModelError(file: file, line: counted.line, field: "layers",
                             "has more than 1,000,000 layers (counted before reading them); at most 1,000,000 are allowed")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ModelError(file: file, line: line(of: error, in: text), "is not valid YAML: " + explain(error, in: text))
        } catch {
            throw ModelError(file: file, "is not valid YAML")
        }
        guard let node else { throw ModelError(file: file, "is empty: a model needs at least 'layers:' with one layer") }
        var budget = 16_000_000
        return try convert(node, file: file, place: .top, nesting: 0, budget: &budget)
    }

    private static func line(of error: YamlError, in text: String) -> Int? {
        switch error {
        case .reader(_, let offset?, _, _):
            // The reader counts bytes from the start.
            return 1 + text.utf8.prefix(max(0, offset)).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    /// libyaml's messages describe its parser ("did not find expected key while parsing a block
    /// mapping"); a user needs the mistake in the file. The usual ones are named; anything else
    /// gets a plain pointer to what to check, never the library's text.
    static func explain(_ error: YamlError, in text: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return explain(problem: problem, context: context?.text ?? "", at: character(at: mark, in: text))
        case .duplicatedKeysInMapping(let duplicates, _):
            let keys = duplicates.map { "'" + TerminalSafe.escapeShort($0) + "'" }
            return (keys.count == 1 ? "the key \(keys[0]) appears" : "the keys " + keys.joined(separator: ", ") + " appear")
                + " twice in one mapping"
        case .reader(let problem, _, let value, _):
            if problem.contains("control characters") {
                return "a control character (\\u{\(String(value, radix: 16, uppercase: true))}) is not allowed in YAML text; "
                    + "write it as an escape inside double quotes"
            }
            return "is not UTF-8 text"
        default:
            return "the file cannot be read as YAML"
        }
    }

    static func explain(problem: String, context: String, at ch: Character?) -> String {
        let shown = ch.map { TerminalSafe.escape(String($0)) } ?? ""
        switch problem {
        case _ where problem.contains("tab character") || (problem.contains("cannot start any token") && ch == "\t"):
            return "a tab indents this line; indent YAML with spaces"
        case _ where problem.contains("cannot start any token"):
            return "'\(shown)' cannot start a value; put the text in quotes"
        case _ where problem.contains("expected ',' or ']'"):
            return "a list opened with '[' is not closed with ']' (or two items lack a ',' between them)"
        case _ where problem.contains("expected ',' or '}'"):
            return "a mapping opened with '{' is not closed with '}' (or two entries lack a ',' between them)"
        case _ where problem.contains("expected '-' indicator"):
            return "the indentation of this line does not fit the list above it (each item starts with '- ')"
        case _ where problem.contains("expected key"):
            return "the indentation of this line does not fit the keys above it"
        case _ where problem.contains("mapping values are not allowed") || problem.contains("unexpected ':'"):
            return "a ':' where none can be: check the indentation, or put text that holds ': ' in quotes"
        case _ where problem.contains("block sequence entries are not allowed"):
            return "a list item ('- ') where a value was expected: check the indentation"
        case _ where problem.contains("mapping keys are not allowed"):
            return "a '?' key where none can be: check the indentation"
        case _ where problem.contains("could not find expected ':'"):
            return "a key is not followed by ':'"
        case _ where problem.contains("end of stream") && context.contains("quoted"):
            return "a quoted text is not closed"
        case _ where problem.contains("end of stream"):
            return "the file ends in the middle of a value"
        case _ where problem.contains("undefined alias"):
            return "an alias (*name) that no anchor (&name) before it defines"
        case _ where problem.contains("another document"):
            return "the file holds more than one document (a '---' line starts another); a model file holds one"
        case _ where problem.contains("incompatible YAML document") || problem.contains("version number"):
            return "it declares a YAML version paramcount does not read (%YAML 1.1 and 1.2 are read)"
        case _ where problem.contains("directive"):
            return "a line starting with '%' is not a directive YAML knows"
        case _ where problem.contains("unknown escape") || problem.contains("escape code") || problem.contains("hexdecimal"):
            return "a double-quoted text has an unknown escape; write \\\\ for a backslash"
        case _ where problem.contains("document indicator"):
            return "'---' or '...' inside a value; put it in quotes"
        case _ where problem.contains("node content"):
            return "a value is missing here"
        case _ where problem.contains("tag"):
            return "a tag ('!') that paramcount does not read; remove it"
        case _ where problem.contains("anchor") || problem.contains("alias"):
            return "an anchor or alias name is malformed"
        default:
            return "the text cannot be read as YAML here: check the indentation, quotes and brackets"
        }
    }

    /// The character a mark points at (lines and columns from 1, columns in scalars).
    private static func character(at mark: Mark, in text: String) -> Character? {
        guard mark.line >= 1, mark.column >= 1 else { return nil }
        var line = 1
        var scalars = text.unicodeScalars[...]
        while line < mark.line, let newline = scalars.firstIndex(of: "\n") {
            scalars = scalars[scalars.index(after: newline)...]
            line += 1
        }
        guard line == mark.line else { return nil }
        let rest = scalars.dropFirst(mark.column - 1)
        return rest.first.map { Character($0) }
    }

    /// Where a node sits in a model file, which decides what is read below it.
    private enum Place {
        case top, layerList, layer, branchList, value, valueItem
    }

    /// Aliases arrive already expanded (sharing storage), so an alias bomb is cheap to hold but
    /// exponential to walk. A model file has a fixed shape (top mapping, layer lists, layer
    /// mappings holding values, kernel sizes, a group's layer list or a parallel's list of layer
    /// lists), so the walk skips what cannot be valid and leaves it to the reader to report; the
    /// budget bounds what is left, and layers nested deeper than the counter allows are not read.
    private static func convert(_ node: Node, file: String, place: Place, nesting: Int, budget: inout Int) throws(ModelError) -> DocNode {
        budget -= 1
        guard budget > 0 else {
            throw ModelError(file: file, line: node.mark?.line, "expands to too many values (alias expansion?)")
        }
        let line = node.mark?.line
        switch node {
        case .scalar(let s):
            return DocNode(value: scalar(s), line: line)
        case .sequence(let seq):
            let inner: Place
            switch place {
            case .top, .layer, .valueItem: return DocNode(value: .list([]), line: line)
            case .value:
                if seq.count > Shape.maxRank {
                    throw ModelError(file: file, line: line, "has a list of \(seq.count) values; lists hold 1 to 3 sizes "
                                     + "(a kernel, a stride), or 1 to 4 (the input shape)")
                }
                inner = .valueItem
            case .layerList: inner = .layer
            case .branchList: inner = .layerList
            }
            if seq.count > ModelFile.maxLayers {
                throw ModelError(file: file, line: line, "has \(seq.count) layers; at most 1,000,000 are allowed")
            }
            var items: [DocNode] = []
            items.reserveCapacity(seq.count)
            for n in seq { items.append(try convert(n, file: file, place: inner, nesting: nesting, budget: &budget)) }
            return DocNode(value: .list(items), line: line)
        case .mapping(let map):
            // The reader stops at the layer nested one level too deep; nothing below it is needed.
            guard place == .top || (place == .layer && nesting <= Counter.maxNesting + 1) else {
                return DocNode(value: .map([]), line: line)
            }
            if map.count > 64 {
                throw ModelError(file: file, line: line, "has a mapping of \(map.count) keys; no part of a model file has more than 12")
            }
            var entries: [(key: String, value: DocNode)] = []
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    throw ModelError(file: file, line: k.mark?.line, "keys must be plain words")
                }
                let key = ks.string
                let value: DocNode
                switch (place, key) {
                case (.top, "layers"), (.layer, "layers"):
                    value = try convert(v, file: file, place: .layerList, nesting: nesting + 1, budget: &budget)
                case (.layer, "branches"):
                    value = try convert(v, file: file, place: .branchList, nesting: nesting + 1, budget: &budget)
                case (.top, "input"):
                    // Said as the JSON reader says it: the list's length is wrong for an input shape.
                    if case .sequence(let seq) = v, seq.count > Shape.maxRank,
                       let problem = Shape.problem(Array(repeating: 1, count: seq.count)) {
                        throw ModelError(file: file, line: v.mark?.line, field: "input", problem)
                    }
                    value = try convert(v, file: file, place: .value, nesting: nesting, budget: &budget)
                case (.top, _) where !ParamcountSchema.topKeys.contains(key):
                    // Unknown top-level keys are reported by the reader; their values are never needed.
                    value = DocNode(value: .null, line: v.mark?.line)
                default:
                    value = try convert(v, file: file, place: .value, nesting: nesting, budget: &budget)
                }
                entries.append((key, value))
            }
            return DocNode(value: .map(entries), line: line)
        case .alias:
            throw ModelError(file: file, line: line, "has an alias that could not be resolved")
        }
    }

    private static func scalar(_ s: Node.Scalar) -> DocNode.Value {
        if s.style != .plain { return .string(s.string) }
        let node = Node.scalar(s)
        switch Resolver.default.resolveTag(of: node) {
        // Kept as written: the resolver's reading of 017 (octal) or 1:30 (base 60) is not ours.
        case .int, .float: return .number(s.string)
        case .bool: return .bool(node.bool ?? false)
        case .null: return .null
        default: return .string(s.string)
        }
    }
}
