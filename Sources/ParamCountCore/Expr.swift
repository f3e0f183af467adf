/// A formula as a tree, rendered three ways: with symbols, with the numbers substituted, and reduced
/// one operation level at a time down to the result.
public indirect enum Expr: Sendable, Equatable {
    case variable(symbol: String, value: Int, meaning: String)
    case constant(Int)
    case sum([Expr])
    case product([Expr])
    case square(Expr)
    case group(Expr)

    public func evaluate() throws(CountOverflow) -> Int {
        switch self {
        case .variable(_, let value, _): return value
        case .constant(let n): return n
        case .sum(let xs):
            var t = 0
            for x in xs { t = try Checked.add(t, x.evaluate()) }
            return t
        case .product(let xs):
            var t = 1
            for x in xs { t = try Checked.mul(t, x.evaluate()) }
            return t
        case .square(let x):
            let n = try x.evaluate()
            return try Checked.mul(n, n)
        case .group(let x): return try x.evaluate()
        }
    }

    /// The distinct variables, in order of first appearance.
    public var variables: [Variable] {
        var seen: [Variable] = []
        func walk(_ e: Expr) {
            switch e {
            case .variable(let s, let v, let m):
                if !seen.contains(where: { $0.symbol == s }) { seen.append(Variable(symbol: s, value: v, meaning: m)) }
            case .constant: break
            case .sum(let xs), .product(let xs): xs.forEach(walk)
            case .square(let x), .group(let x): walk(x)
            }
        }
        walk(self)
        return seen
    }

    public func symbolic() -> String { render(substituted: false) }
    public func substituted() -> String { render(substituted: true) }

    /// Every line a teacher writes after the substitution: each step evaluates the innermost
    /// operations, until one number is left. Steps that would look the same are skipped.
    public func reductionSteps() throws(CountOverflow) -> [String] {
        var steps: [String] = []
        var e = self
        while !e.isLeaf {
            e = try e.reducedOnce()
            let line = e.substituted()
            if steps.last != line { steps.append(line) }
        }
        return steps
    }

    var isCoefficientTerm: Bool {
        if case .product(let xs) = self, xs.count == 2, case .constant = xs[0], case .variable = xs[1] { return true }
        return false
    }

    var isLeaf: Bool {
        switch self {
        case .variable, .constant: return true
        case .group(let x): return x.isLeaf
        default: return false
        }
    }

    private func reducedOnce() throws(CountOverflow) -> Expr {
        switch self {
        case .variable, .constant: return self
        case .group(let x): return x.isLeaf ? x : .group(try x.reducedOnce())
        case .square(let x): return x.isLeaf ? .constant(try evaluate()) : .square(try x.reducedOnce())
        case .sum(let xs), .product(let xs):
            if xs.allSatisfy(\.isLeaf) { return .constant(try evaluate()) }
            var ys: [Expr] = []
            for x in xs { ys.append(try x.reducedOnce()) }
            if case .sum = self { return .sum(ys) }
            return .product(ys)
        }
    }

    // MARK: rendering

    /// How many bracket pairs nest inside, so the outer pairs can be [ ] and { } as on a blackboard.
    private func bracketDepth(_ substituted: Bool) -> Int {
        switch self {
        case .variable, .constant: return 0
        case .square(let x): return x.isLeaf ? 0 : x.bracketDepth(substituted) + 1
        case .group(let x): return x.bracketDepth(substituted)
        case .sum(let xs):
            return xs.map { $0.childDepth(in: self, substituted) }.max() ?? 0
        case .product(let xs):
            return xs.map { $0.childDepth(in: self, substituted) }.max() ?? 0
        }
    }

    private func needsBrackets(in parent: Expr) -> Bool {
        switch (parent, self) {
        case (.product, .sum), (.product, .group): return true
        case (.sum, .group(let x)): return !x.isLeaf
        default: return false
        }
    }

    private func childDepth(in parent: Expr, _ substituted: Bool) -> Int {
        bracketDepth(substituted) + (needsBrackets(in: parent) ? 1 : 0)
    }

    private func bracketed(_ s: String, depth: Int) -> String {
        switch depth {
        case 0: return "(" + s + ")"
        case 1: return "[" + s + "]"
        default: return "{" + s + "}"
        }
    }

    private func render(substituted: Bool) -> String {
        switch self {
        case .variable(let s, let value, _): return substituted ? Format.grouped(value) : s
        case .constant(let n): return Format.grouped(n)
        case .group(let x): return x.render(substituted: substituted)
        case .square(let x):
            let inner = x.render(substituted: substituted)
            return (x.isLeaf ? inner : bracketed(inner, depth: x.bracketDepth(substituted))) + "²"
        case .sum(let xs):
            return xs.map { child($0, substituted) }.joined(separator: " + ")
        case .product(let xs):
            // A coefficient next to a symbol reads as on paper: 2h, not 2 × h.
            if !substituted, isCoefficientTerm, case .constant(let n) = xs[0], case .variable(let s, _, _) = xs[1] {
                return "\(n)\(s)"
            }
            return xs.map { child($0, substituted) }.joined(separator: " × ")
        }
    }

    private func child(_ x: Expr, _ substituted: Bool) -> String {
        let s = x.render(substituted: substituted)
        return x.needsBrackets(in: self) ? bracketed(s, depth: x.bracketDepth(substituted)) : s
    }
}

public struct Variable: Sendable, Equatable {
    public let symbol: String
    public let value: Int
    public let meaning: String
}

/// Builds expression trees; flattens chains of the same operation so `a + b + c` is one sum.
public enum Expressions: Algebra {
    public static func variable(_ symbol: String, _ value: Int, _ meaning: String) -> Expr {
        .variable(symbol: symbol, value: value, meaning: meaning)
    }
    public static func constant(_ n: Int) -> Expr { .constant(n) }
    public static func add(_ a: Expr, _ b: Expr) -> Expr {
        var xs: [Expr] = []
        for e in [a, b] { if case .sum(let ys) = e { xs += ys } else { xs.append(e) } }
        return .sum(xs)
    }
    public static func mul(_ a: Expr, _ b: Expr) -> Expr {
        var xs: [Expr] = []
        for e in [a, b] {
            // `2h` stays one token so `2 × 2h` does not become `2 × 2 × h`.
            if case .product(let ys) = e, !e.isCoefficientTerm { xs += ys } else { xs.append(e) }
        }
        return .product(xs)
    }
    public static func square(_ a: Expr) -> Expr { .square(a) }
    public static func group(_ a: Expr) -> Expr { .group(a) }
}
