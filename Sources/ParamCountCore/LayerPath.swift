/// Where a layer sits in a model's tree: the top-level list, a group's layers or a parallel's
/// branches. `layers[2]/branches[0][1]` is layer 1 of branch 0 of the parallel at top-level index 2.
public struct LayerPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Step: Hashable, Sendable {
        /// The i-th layer of the current list: the model's own layers, or a group's.
        case layer(Int)
        /// Layer `index` of branch `branch` of the parallel the previous step addressed.
        case branch(Int, Int)

        /// The position in the list the step reads from.
        public var index: Int {
            switch self {
            case .layer(let i), .branch(_, let i): return i
            }
        }

        func with(index i: Int) -> Step {
            switch self {
            case .layer: return .layer(i)
            case .branch(let b, _): return .branch(b, i)
            }
        }
    }

    public var steps: [Step]

    public init(_ steps: [Step]) { self.steps = steps }

    /// A top-level layer.
    public static func top(_ index: Int) -> LayerPath { LayerPath([.layer(index)]) }

    /// The top-level layer the path is inside (nil for an empty path).
    public var topIndex: Int? {
        if case .layer(let i)? = steps.first { return i }
        return nil
    }

    /// How many groups and parallels the layer is inside.
    public var depth: Int { max(0, steps.count - 1) }

    /// The path of the group or parallel the layer is in; nil for a top-level layer.
    public var parent: LayerPath? { steps.count > 1 ? LayerPath(Array(steps.dropLast())) : nil }

    public func appending(_ step: Step) -> LayerPath { LayerPath(steps + [step]) }

    /// `layers[2]/branches[0][1]`, as error messages write it.
    public var description: String {
        steps.map { step -> String in
            switch step {
            case .layer(let i): return "layers[\(i)]"
            case .branch(let b, let i): return "branches[\(b)][\(i)]"
            }
        }.joined(separator: "/")
    }

    /// Document order: a container comes before the layers inside it, and those before its next sibling.
    public static func < (a: LayerPath, b: LayerPath) -> Bool {
        for (x, y) in zip(a.steps, b.steps) where x != y {
            switch (x, y) {
            case (.layer(let i), .layer(let j)): return i < j
            case (.branch(let b1, let i), .branch(let b2, let j)): return (b1, i) < (b2, j)
            // Not both valid in one model; any fixed order will do.
            case (.layer, .branch): return true
            case (.branch, .layer): return false
            }
        }
        return a.steps.count < b.steps.count
    }
}

extension LayerPath {
    /// Follows the path through any tree shaped like a model's — its layers, their counts, their
    /// source lines: `top` is the top-level list, and `list(node, branch)` a node's group body
    /// (branch nil) or one of its branches.
    public func follow<Node>(_ top: [Node], _ list: (Node, Int?) -> [Node]) -> Node? {
        guard case .layer(let i)? = steps.first, top.indices.contains(i) else { return nil }
        var current = top[i]
        for step in steps.dropFirst() {
            let next: [Node]
            switch step {
            case .layer: next = list(current, nil)
            case .branch(let b, _): next = list(current, b)
            }
            guard next.indices.contains(step.index) else { return nil }
            current = next[step.index]
        }
        return current
    }
}

extension Model {
    /// The layer at `path`, or nil when the path leads nowhere in this model.
    public func layer(at path: LayerPath) -> Layer? {
        path.follow(layers) { layer, branch in branch.map { layer.branches.indices.contains($0) ? layer.branches[$0] : [] } ?? layer.body }
    }

    /// Replaces the layer at `path`, which must exist (as with an array's subscript).
    public mutating func replace(at path: LayerPath, with layer: Layer) {
        Model.edit(&layers, path.steps[...]) { list, i in
            precondition(list.indices.contains(i), "no layer at \(path)")
            list[i] = layer
        }
    }

    /// Inserts a layer so that it ends up at `path`: its last step may be one past the end of its
    /// list (as with `Array.insert`); the steps before it must lead to a group or parallel.
    public mutating func insert(_ layer: Layer, at path: LayerPath) {
        Model.edit(&layers, path.steps[...]) { list, i in
            precondition(i >= 0 && i <= list.count, "cannot insert at \(path)")
            list.insert(layer, at: i)
        }
    }

    /// Removes and returns the layer at `path`, which must exist.
    @discardableResult
    public mutating func remove(at path: LayerPath) -> Layer {
        var removed: Layer?
        Model.edit(&layers, path.steps[...]) { list, i in
            precondition(list.indices.contains(i), "no layer at \(path)")
            removed = list.remove(at: i)
        }
        return removed!
    }

    /// Reaches the list holding the last step's layer, in place (no copy of the lists on the way).
    private static func edit(_ list: inout [Layer], _ steps: ArraySlice<LayerPath.Step>, _ change: (inout [Layer], Int) -> Void) {
        guard let step = steps.first else { preconditionFailure("an empty layer path") }
        let rest = steps.dropFirst()
        guard let next = rest.first else { return change(&list, step.index) }
        precondition(list.indices.contains(step.index), "no layer at step \(step)")
        switch next {
        case .layer:
            edit(&list[step.index].body, rest, change)
        case .branch(let b, _):
            precondition(list[step.index].branches.indices.contains(b), "no branch \(b) at step \(step)")
            edit(&list[step.index].branches[b], rest, change)
        }
    }

    /// Names along the path, for lining up two models block by block: `layers/self_attn`. A layer
    /// without a name is its kind, numbered from the second of that kind in its list
    /// (`dense`, `dense#2`); a branch is its number (`block/1/conv`).
    public func namePath(at path: LayerPath) -> String? {
        guard case .layer? = path.steps.first else { return nil }
        var parts: [String] = []
        var list = layers
        for (n, step) in path.steps.enumerated() {
            if case .branch(let b, _) = step { parts.append(String(b)) }
            let i = step.index
            guard list.indices.contains(i) else { return nil }
            parts.append(Model.pathNames(list[...i]).last!)
            guard n + 1 < path.steps.count else { break }
            switch path.steps[n + 1] {
            case .layer: list = list[i].body
            case .branch(let b, _):
                guard list[i].branches.indices.contains(b) else { return nil }
                list = list[i].branches[b]
            }
        }
        return parts.joined(separator: "/")
    }

    /// The name path of every layer, in document order, in one pass.
    public func namePaths() -> [(path: LayerPath, name: String)] {
        var out: [(path: LayerPath, name: String)] = []
        // Lists are expanded one at a time; each entry of `pending` is a layer with its path and name.
        var pending: [(LayerPath, String, Layer)] = []
        let top = Model.pathNames(layers[...])
        for i in layers.indices.reversed() { pending.append((.top(i), top[i], layers[i])) }
        while let (path, name, layer) = pending.popLast() {
            out.append((path, name))
            var children: [(LayerPath, String, Layer)] = []
            let body = Model.pathNames(layer.body[...])
            for j in layer.body.indices { children.append((path.appending(.layer(j)), name + "/" + body[j], layer.body[j])) }
            for (b, branch) in layer.branches.enumerated() {
                let names = Model.pathNames(branch[...])
                for j in branch.indices {
                    children.append((path.appending(.branch(b, j)), name + "/\(b)/" + names[j], branch[j]))
                }
            }
            pending += children.reversed()
        }
        return out
    }

    /// Each layer's own part of a name path: its name, else its kind numbered within the list.
    static func pathNames(_ list: ArraySlice<Layer>) -> [String] {
        var seen: [LayerKind: Int] = [:]
        return list.map { layer in
            if let name = layer.name, !name.isEmpty { return name }
            let n = (seen[layer.kind] ?? 0) + 1
            seen[layer.kind] = n
            return n == 1 ? layer.kind.rawValue : "\(layer.kind.rawValue)#\(n)"
        }
    }

    /// Every layer with its path, in document order (a group before its layers). Walks with a
    /// stack of its own, so a model built in code with very deep nesting cannot overflow the call stack.
    public func forEachLayer(_ visit: (LayerPath, Layer) throws -> Void) rethrows {
        var stack: [(LayerPath, Layer)] = layers.indices.reversed().map { (LayerPath.top($0), layers[$0]) }
        while let (path, layer) = stack.popLast() {
            try visit(path, layer)
            for (b, branch) in layer.branches.enumerated().reversed() {
                for j in branch.indices.reversed() { stack.append((path.appending(.branch(b, j)), branch[j])) }
            }
            for j in layer.body.indices.reversed() { stack.append((path.appending(.layer(j)), layer.body[j])) }
        }
    }
}
