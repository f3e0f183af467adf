import ParamCountCore
import Yams

/// YAML syntax to a document tree; the schema is read from the tree by `ParamcountSchema`.
enum YAMLReader {
    static func parse(_ text: String, file: String) throws(ModelError) -> DocNode {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ModelError(file: file, line: line(of: error), "is not valid YAML: " + problem(of: error))
        } catch {
            throw ModelError(file: file, "is not valid YAML: \(error)")
        }
        guard let node else { throw ModelError(file: file, "is empty: a model needs at least 'layers:' with one layer") }
        var budget = 16_000_000
        return try convert(node, file: file, depth: 0, budget: &budget)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return TerminalSafe.escape(problem + (context.map { " " + $0.text } ?? ""))
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys: " + duplicates.map(TerminalSafe.escape).joined(separator: ", ")
        case .reader(let problem, _, _, _): return TerminalSafe.escape(problem)
        default: return TerminalSafe.escape(String(describing: error))
        }
    }

    /// Aliases arrive already expanded (sharing storage), so an alias bomb is cheap to hold but
    /// exponential to walk. A model file has a fixed shape (top mapping, layer list, layer mappings,
    /// values, kernel sizes), so the walk skips what cannot be valid and leaves it to the reader to
    /// report; the budget bounds what is left.
    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws(ModelError) -> DocNode {
        budget -= 1
        guard budget > 0 else {
            throw ModelError(file: file, line: node.mark?.line, "expands to too many values (alias expansion?)")
        }
        let line = node.mark?.line
        switch node {
        case .scalar(let s):
            return DocNode(value: scalar(s), line: line)
        case .sequence(let seq):
            if depth >= 4 { return DocNode(value: .list([]), line: line) }
            if depth >= 3 && seq.count > 3 {
                throw ModelError(file: file, line: line, "has a list of \(seq.count) values; a layer's lists (kernel sizes) hold 1 to 3")
            }
            if seq.count > ModelFile.maxLayers {
                throw ModelError(file: file, line: line, "has \(seq.count) layers; at most 1,000,000 are allowed")
            }
            var items: [DocNode] = []
            items.reserveCapacity(seq.count)
            for n in seq { items.append(try convert(n, file: file, depth: depth + 1, budget: &budget)) }
            return DocNode(value: .list(items), line: line)
        case .mapping(let map):
            if depth >= 3 { return DocNode(value: .map([]), line: line) }
            if map.count > 64 {
                throw ModelError(file: file, line: line, "has a mapping of \(map.count) keys; no part of a model file has more than 12")
            }
            var entries: [(key: String, value: DocNode)] = []
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    throw ModelError(file: file, line: k.mark?.line, "keys must be plain words")
                }
                // Unknown top-level keys are reported by the reader; their values are never needed.
                let wanted = depth > 0 || ParamcountSchema.topKeys.contains(ks.string)
                entries.append((ks.string, wanted ? try convert(v, file: file, depth: depth + 1, budget: &budget)
                                                  : DocNode(value: .null, line: v.mark?.line)))
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
