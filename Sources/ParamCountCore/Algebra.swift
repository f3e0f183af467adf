/// Thrown when a count leaves the 64-bit range. Swift traps on overflow, so every operation that
/// builds a count goes through `Checked`.
public struct CountOverflow: Error, Sendable, Equatable {}

public enum Checked {
    @inline(__always)
    public static func add(_ a: Int, _ b: Int) throws(CountOverflow) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw CountOverflow() }
        return r
    }

    @inline(__always)
    public static func mul(_ a: Int, _ b: Int) throws(CountOverflow) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw CountOverflow() }
        return r
    }
}

/// Each formula is written once, generically, and read two ways: as a number (fast, for counting
/// whole models) and as an expression tree (for the derivation a teacher writes). So the count shown
/// and the derivation shown can never disagree.
public protocol Algebra {
    associatedtype Value
    static func variable(_ symbol: String, _ value: Int, _ meaning: String) -> Value
    static func constant(_ n: Int) -> Value
    static func add(_ a: Value, _ b: Value) throws(CountOverflow) -> Value
    static func mul(_ a: Value, _ b: Value) throws(CountOverflow) -> Value
    static func square(_ a: Value) throws(CountOverflow) -> Value
    /// A sub-expression a teacher keeps in brackets inside a sum.
    static func group(_ a: Value) -> Value
}

public enum Numbers: Algebra {
    public static func variable(_ symbol: String, _ value: Int, _ meaning: String) -> Int { value }
    public static func constant(_ n: Int) -> Int { n }
    public static func add(_ a: Int, _ b: Int) throws(CountOverflow) -> Int { try Checked.add(a, b) }
    public static func mul(_ a: Int, _ b: Int) throws(CountOverflow) -> Int { try Checked.mul(a, b) }
    public static func square(_ a: Int) throws(CountOverflow) -> Int { try Checked.mul(a, a) }
    public static func group(_ a: Int) -> Int { a }
}

/// A term in a formula, so formulas read like the blackboard: `try c(4) * (x * x + x)`.
public struct Term<A: Algebra> {
    public let value: A.Value

    init(_ value: A.Value) { self.value = value }

    static func + (l: Term, r: Term) throws(CountOverflow) -> Term { Term(try A.add(l.value, r.value)) }
    static func * (l: Term, r: Term) throws(CountOverflow) -> Term { Term(try A.mul(l.value, r.value)) }
}

func v<A>(_ symbol: String, _ value: Int, _ meaning: String, _: A.Type = A.self) -> Term<A> {
    Term(A.variable(symbol, value, meaning))
}
func c<A>(_ n: Int, _: A.Type = A.self) -> Term<A> { Term(A.constant(n)) }
func sq<A>(_ t: Term<A>) throws(CountOverflow) -> Term<A> { Term(try A.square(t.value)) }
func group<A>(_ t: Term<A>) -> Term<A> { Term(A.group(t.value)) }
