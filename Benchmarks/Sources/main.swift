// Benchmarks with budgets. Run in release mode:
//   swift run -c release paramcount-bench
// Prints each figure, its budget and pass/fail; exits 1 when any budget is missed.
import Foundation
import ParamCountApp
import ParamCountCore
import ParamCountFiles

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

struct Figure {
    let name: String
    let value: Double
    let unit: String
    let budget: Double?
    var pass: Bool { budget.map { value <= $0 } ?? true }
}

nonisolated(unsafe) var figures: [Figure] = []
func report(_ name: String, _ value: Double, _ unit: String, budget: Double? = nil) {
    let f = Figure(name: name, value: value, unit: unit, budget: budget)
    figures.append(f)
    let v = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
    let b = budget.map { "< " + String(format: $0 >= 100 ? "%.0f" : "%.3f", $0) + " \(unit)" } ?? "(no budget)"
    print("\(name.padding(toLength: 64, withPad: " ", startingAt: 0)) \(v.leftPad(10)) \(unit.padding(toLength: 6, withPad: " ", startingAt: 0)) \(b.padding(toLength: 18, withPad: " ", startingAt: 0)) \(budget == nil ? "" : f.pass ? "PASS" : "FAIL")")
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// A model of `n` layers cycling through every kind, widths inherited where they can be.
func generatedModel(_ n: Int) -> Model {
    var layers: [Layer] = [Layer(.embedding, [(.vocab, .int(32_000)), (.dim, .int(512))])]
    let cycle: [Layer] = [
        Layer(.dense, [(.out, .int(512))]),
        Layer(.layernorm),
        Layer(.attention, [(.heads, .int(8))]),
        Layer(.rmsnorm),
        Layer(.lstm, [(.hidden, .int(256)), (.bidirectional, .bool(true))]),
        Layer(.conv, [(.out, .int(512)), (.kernel, .int(3)), (.groups, .int(4))]),
        Layer(.batchnorm),
        Layer(.encoder, [(.heads, .int(8)), (.ff, .int(2048))]),
        Layer(.gru, [(.hidden, .int(512)), (.layers, .int(2))]),
        Layer(.decoder, [(.heads, .int(8))]),
        Layer(.custom, [(.params, .int(1000))]),
        Layer(.rnn, [(.hidden, .int(512))]),
    ]
    layers.reserveCapacity(n)
    var i = 0
    while layers.count < n { layers.append(cycle[i % cycle.count]); i += 1 }
    return Model(name: "generated \(n)", convention: .pytorch, layers: layers)
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
func percentile(_ xs: [Double], _ p: Double) -> Double { let s = xs.sorted(); return s[min(s.count - 1, Int(Double(s.count) * p))] }

print("paramcount benchmarks — \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)")
print(String(repeating: "─", count: 100))

let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
if only == "resolve" {
    let model = generatedModel(1_000_000)
    for _ in 0..<3 {
        let t0 = now()
        var prev: Int? = nil
        var sink = 0
        for l in model.layers { let r = try! l.resolve(previousOutput: prev); prev = r.passedOn; sink &+= r.output }
        print("resolve only: \(Double(now() - t0) / 1e6) ms \(sink)")
    }
    exit(0)
}
// Core: counting, linear in layers.
for n in (only == "core" ? [100_000] : [10_000, 100_000, 1_000_000]) {
    let model = generatedModel(n)
    var best = UInt64.max
    for _ in 0..<5 {
        let t0 = now()
        let c = try! Counter.count(model)
        let t = now() - t0
        precondition(c.layers.count == n)
        best = min(best, t)
    }
    report("core: count \(n) layers, ns per layer", Double(best) / Double(n), "ns")
    if n == 1_000_000 { report("core: count 1,000,000 layers (mixed kinds, auto widths)", Double(best) / 1e6, "ms", budget: 100) }
}

if only == "core" { exit(0) }
// Files: load 100,000 layers from JSON and from YAML.
do {
    let model = generatedModel(100_000)
    for format in [FileFormat.json, .yaml] {
        let text = ModelWriter.text(model, format: format)
        let bytes = Array(text.utf8)
        var best = UInt64.max
        for _ in 0..<3 {
            let t0 = now()
            let loaded = try! ModelFile.parse(bytes, format: format, file: "bench")
            best = min(best, now() - t0)
            precondition(loaded.model.layers.count == 100_000)
        }
        report("files: load 100,000 layers from \(format.rawValue.uppercased()) (\(bytes.count / 1024) KiB)", Double(best) / 1e6, "ms",
               budget: format == .json ? 1000 : nil)
    }
}

// Controller: a digit typed into a width in the middle of a 10,000-layer model (the dense layer
// at index 4,993, layer 4,994), a recount of the whole model and a 200×60 frame, per keystroke.
do {
    let model = generatedModel(10_000)
    var state = AppState(document: try! Document(model: model, path: nil, origin: "bench"), width: 200, height: 60)
    state.document.selection = 4_993
    precondition(model.layers[4_993].kind == .dense)
    state.focus = .form
    state.document.field = 1   // name, in: the dense layer's input width (its output feeds layers that need multiples of 8)
    _ = reduce(&state, .key(.enter))
    _ = reduce(&state, .key(.ctrl("u")))
    guard case .editing(let e) = state.mode, e.target == .field(.in) else { fatalError("not editing in") }
    var samples: [Double] = []
    samples.reserveCapacity(10_000)
    var sink = 0
    for k in 0..<20_000 {
        // Two digits, two backspaces: the value stays a valid width; the digits are measured.
        let digit = k % 4 < 2
        let key: Key = digit ? .char(Character(String((k % 9) + 1))) : .backspace
        let t0 = now()
        _ = reduce(&state, .key(key))
        let grid = render(state)
        if digit {
            samples.append(Double(now() - t0) / 1e6)
            precondition(state.editing?.error == nil)
        }
        sink &+= grid.width
    }
    precondition(sink > 0 && samples.count == 10_000)
    report("controller: digit typed, recount 10k layers, 200×60 frame, p50", median(samples), "ms")
    report("controller: digit typed, recount 10k layers, 200×60 frame, p99", percentile(samples, 0.99), "ms", budget: 1)
}

print(String(repeating: "─", count: 100))
let failed = figures.filter { !$0.pass }
print(failed.isEmpty ? "all in-process figures within budget" : "\(failed.count) figure(s) over budget")
exit(failed.isEmpty ? 0 : 1)
