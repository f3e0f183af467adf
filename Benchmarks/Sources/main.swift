// Benchmarks with budgets. Run in release mode:
//   swift run -c release paramcount-bench
// BENCH_ONLY=core|groups|checkpoints|hf|shapes runs one part.
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
    print("\(name.padding(toLength: max(64, name.count), withPad: " ", startingAt: 0)) \(v.leftPad(10)) \(unit.padding(toLength: 6, withPad: " ", startingAt: 0)) \(b.padding(toLength: 18, withPad: " ", startingAt: 0)) \(budget == nil ? "" : f.pass ? "PASS" : "FAIL")")
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
        Layer(.mlp, [(.ff, .int(2048)), (.gated, .bool(true)), (.bias, .bool(false))]),
        Layer(.moe, [(.experts, .int(8)), (.topK, .int(2)), (.ff, .int(1024)), (.sharedExperts, .int(1))]),
        Layer(.attention, [(.heads, .int(8)), (.kvHeads, .int(2)), (.qkNorm, .option("head")), (.bias, .bool(false))]),
        Layer(.pool, [(.mode, .option("avg")), (.kernel, .int(2))]),
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
if only == "checkpoints" {
    checkpointBenchmarks()
    exit(figures.allSatisfy(\.pass) ? 0 : 1)
}
if only == "groups" {
    groupBenchmarks()
    exit(figures.allSatisfy(\.pass) ? 0 : 1)
}
if only == "shapes" {
    shapeBenchmarks()
    exit(figures.allSatisfy(\.pass) ? 0 : 1)
}
if only == "hf" {
    hfConfigBenchmarks()
    exit(figures.allSatisfy(\.pass) ? 0 : 1)
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

groupBenchmarks()
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

// Checkpoints: headers read from sparse files (the data is a hole and is never read).
func sparseFile(_ path: String, head: [UInt8], size: UInt64) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0 && head.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == head.count)
    precondition(ftruncate(fd, off_t(size)) == 0)
    close(fd)
}

func le(_ v: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

func bestOf(_ runs: Int, _ body: () -> Void) -> Double {
    var best = UInt64.max
    for _ in 0..<runs {
        let t0 = now()
        body()
        best = min(best, now() - t0)
    }
    return Double(best) / 1e6
}

func checkpointBenchmarks() {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paramcount-bench-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }

    // Llama-2-7B as published: two F16 shards (layers 0-23, then 24-31 and the head) and the index.
    var tensors: [(String, [Int])] = [("model.embed_tokens.weight", [32_000, 4_096])]
    for l in 0..<32 {
        let p = "model.layers.\(l)."
        for m in ["q_proj", "k_proj", "v_proj", "o_proj"] { tensors.append((p + "self_attn.\(m).weight", [4_096, 4_096])) }
        tensors += [(p + "mlp.gate_proj.weight", [11_008, 4_096]), (p + "mlp.up_proj.weight", [11_008, 4_096]),
                    (p + "mlp.down_proj.weight", [4_096, 11_008]), (p + "input_layernorm.weight", [4_096]),
                    (p + "post_attention_layernorm.weight", [4_096])]
    }
    tensors += [("model.norm.weight", [4_096]), ("lm_head.weight", [32_000, 4_096])]
    let split = tensors.firstIndex { $0.0.hasPrefix("model.layers.24.") }!
    var map: [String] = []
    for (file, part) in [("model-00001-of-00002.safetensors", tensors[..<split]), ("model-00002-of-00002.safetensors", tensors[split...])] {
        var offset = 0
        var entries: [String] = []
        for (name, shape) in part {
            let size = shape.reduce(1, *) * 2
            entries.append("\"\(name)\":{\"dtype\":\"F16\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
            map.append("\"\(name)\":\"\(file)\"")
        }
        var header = Array(("{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        sparseFile(dir + "/" + file, head: le(UInt64(header.count), 8) + header, size: UInt64(8 + header.count + offset))
    }
    try! ("{\"metadata\":{\"total_size\":13476831232},\"weight_map\":{" + map.joined(separator: ",") + "}}")
        .write(toFile: dir + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
    var total = 0
    let ms = bestOf(20) { total = try! Safetensors.read(path: dir).totalElements }
    precondition(total == 6_738_415_616)
    report("checkpoints: read sparse Llama-2-7B safetensors headers (2 shards + index)", ms, "ms", budget: 20)
    // What `paramcount count DIR` does after starting: the model of 291 rows, its count and the table.
    var table = ""
    let whole = bestOf(20) { table = countTable(dir) }
    precondition(table.contains("6,738,415,616"))
    report("checkpoints: open as a model, count and print the table (Llama-2-7B)", whole, "ms", budget: 20)

    // A GGUF of 100,000 F32 tensors (4×16 each) and a 32,000-token vocabulary.
    var g: [UInt8] = Array("GGUF".utf8) + le(3, 4) + le(100_000, 8) + le(2, 8)
    func ggufString(_ s: String) -> [UInt8] { le(UInt64(s.utf8.count), 8) + Array(s.utf8) }
    g += ggufString("general.architecture") + le(8, 4) + ggufString("llama")
    g += ggufString("tokenizer.ggml.tokens") + le(9, 4) + le(8, 4) + le(32_000, 8)
    for t in 0..<32_000 { g += ggufString("token\(t)") }
    for t in 0..<100_000 {
        g += ggufString("blk.\(t / 10).tensor\(t % 10).weight") + le(2, 4) + le(16, 8) + le(4, 8) + le(0, 4) + le(UInt64(t) * 256, 8)
    }
    while g.count % 32 != 0 { g.append(0) }
    sparseFile(dir + "/many.gguf", head: g, size: UInt64(g.count) + 100_000 * 256)
    var count = 0
    let gms = bestOf(10) { count = try! GGUF.read(path: dir + "/many.gguf").tensors.count }
    precondition(count == 100_000)
    report("checkpoints: read a GGUF with 100,000 tensors (\(g.count / 1024) KiB header)", gms, "ms", budget: 100)
    let gwhole = bestOf(5) { table = countTable(dir + "/many.gguf") }
    precondition(table.contains("6,400,000"))
    // No budget: the 100 ms of the issue is met by the header read above; a table of 100,000 rows
    // costs more than that (Benchmarks/README.md).
    report("checkpoints: open as a model, count and print the table (100,000 tensors)", gwhole, "ms")
}

/// What `paramcount count config.json` does after the process has started: read the config, build
/// the model of the class it names, count it and print the table. The whole process is timed by
/// Benchmarks/process_bench.sh (budget: 10 ms); this is the part paramcount's own code decides, so
/// its budget leaves the rest to starting the process.
func hfConfigBenchmarks() {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/ParamCountFilesTests/Fixtures/hf").path
    for (file, total) in [("llama-Llama-2-7b-hf.json", "6,738,415,616"), ("deepseek_v3-DeepSeek-V3.json", "671,026,404,352")] {
        var table = ""
        let ms = bestOf(50) { table = countTable(fixtures + "/" + file) }
        precondition(table.contains(total))
        report("hf: read \(file), build, count, print the table", ms, "ms", budget: 1)
    }
}

/// `paramcount count PATH` in process: load through the format registry, count, render the table.
func countTable(_ path: String) -> String {
    let loaded = try! ModelFile.load(path)
    let count = try! Counter.count(loaded.model)
    return Report(loaded, count: count, dtype: .fp32, origin: path).render(.table)
}
checkpointBenchmarks()
hfConfigBenchmarks()

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
shapeBenchmarks()

// Planner: a setting stepped (→ on the context) on a 10,000-layer model: the plan is worked out
// again from the whole model, and a 200×60 frame drawn, per keystroke.
do {
    let model = generatedModel(10_000)
    var state = AppState(document: try! Document(model: model, path: nil, origin: "bench"), width: 200, height: 60)
    _ = reduce(&state, .key(.char("P")))
    for _ in 0..<3 { _ = reduce(&state, .key(.down)) }
    precondition(state.planner.row == .context)
    var samples: [Double] = []
    var sink = 0
    for k in 0..<400 {
        let t0 = now()
        _ = reduce(&state, .key(k % 2 == 0 ? .right : .left))
        let grid = render(state)
        samples.append(Double(now() - t0) / 1e6)
        sink &+= grid.width
    }
    precondition(sink > 0)
    report("planner: setting stepped, plan of 10k layers, 200×60 frame, p50", median(samples), "ms")
    report("planner: setting stepped, plan of 10k layers, 200×60 frame, p99", percentile(samples, 0.99), "ms", budget: 50)
}

print(String(repeating: "─", count: 100))
let failed = figures.filter { !$0.pass }
print(failed.isEmpty ? "all in-process figures within budget" : "\(failed.count) figure(s) over budget")
exit(failed.isEmpty ? 0 : 1)
