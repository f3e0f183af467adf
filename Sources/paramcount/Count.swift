import ArgumentParser
import Foundation
import ParamCountCore
import ParamCountFiles
import ParamCountApp
import ParamCountTerminal

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the parameter count of one or more models.",
        discussion: """
            Examples:
              paramcount count preset:resnet50
              paramcount count model.yaml --convention pytorch --dtype bf16
              paramcount count a.yaml b.yaml --format markdown
              paramcount count preset:bert-base preset:gpt2-small --compare
              paramcount count preset:bert-base --format json
              paramcount count preset:llama-2-7b --depth 1   top-level layers only (groups folded)
              paramcount count preset:vgg16 --input 3,448,448   shapes and MACs at 448×448
              paramcount count ./Llama-2-7b-hf/       a folder of safetensors shards (and its config.json)
              paramcount count config.json            a Hugging Face config: the class in architectures[0]
              paramcount count model.Q4_K_M.gguf      a GGUF file (headers only are read)
              paramcount count model.yaml --format json --plan --context 8192 --dtype bf16
              cat model.yaml | paramcount count -     read the model from standard input
              paramcount count ./-dash.yaml           a file whose name starts with '-'
              paramcount count -- -dash.yaml          the same: nothing after -- is an option

            Several models are counted one after another; a bad one is reported on stderr and the \
            others are still printed.

            Exit status: 0 on success, 1 when a model is invalid (the message on stderr names the \
            file, line, layer and field) or the output cannot be written, 2 on a usage error. When \
            the reader of a pipe goes away (| head -1) the output stops without a message, ended by \
            SIGPIPE like other Unix tools (a shell shows status 141).
            """)

    @Argument(help: "Model files (YAML or JSON), Hugging Face config.json files, checkpoints (.safetensors, a folder of shards or its index, .gguf), presets written preset:NAME, or - for standard input.")
    var models: [String]

    @Option(help: "Count under this convention instead of the model's own (textbook, pytorch, keras).")
    var convention: Convention?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ReportFormat = .table

    @Option(help: "Number format of the weights, for the memory figure: fp32, fp16, bf16, int8, int4.")
    var dtype: DType = .fp32

    @Option(help: "One input sample's shape without the batch (3,224,224; 16 for 16 tokens): adds each layer's output shape and multiply-accumulates. Replaces the model's own; none removes it.",
            transform: Count.shape)
    var input: InputShape?

    /// The parsed `--input`: nil inside means "none" (no shape).
    struct InputShape { var dims: [Int]? }

    static func shape(_ text: String) throws -> InputShape {
        switch Shape.parse(text) {
        case .success(let dims): return InputShape(dims: dims)
        case .failure(let error): throw ValidationError("--input " + error.message)
        }
    }

    @Flag(help: "With two models: print B − A overall and by kind instead of two tables.")
    var compare = false

    @Option(help: "Show this many levels of the layer tree (1: the top-level layers only); groups and parallels below are folded into their totals. All levels by default.")
    var depth: Int?

    @Flag(help: "With --format json: add each model's memory and compute plan as `plan` (settings as for paramcount plan).")
    var plan = false

    @OptionGroup(title: "Plan settings (with --plan)") var planOptions: PlanOptions

    func validate() throws {
        if compare && models.count != 2 { throw ValidationError("--compare needs exactly two models, got \(models.count)") }
        if let depth, depth < 1 { throw ValidationError("--depth must be 1 or more (1 shows the top-level layers), got \(depth)") }
        if depth != nil && compare { throw ValidationError("--depth shapes the layer tables; --compare prints totals by kind") }
        if plan && format != .json {
            throw ValidationError("--plan adds a `plan` object to --format json; for a plan to read, use: paramcount plan MODEL")
        }
        if plan && compare { throw ValidationError("--plan and --compare cannot be combined: plan each model, or compare without --plan") }
        if !plan && planOptions.anyGiven { throw ValidationError("plan settings such as --context need --plan (or use paramcount plan)") }
    }

    func run() throws {
        // Every model is tried, so one run reports every bad file and still counts the good ones.
        var reports: [Report] = []
        var failed = false
        for reference in models {
            do { reports.append(try report(reference)) } catch {
                FileHandle.standardError.write(Data(("paramcount: " + error.message + "\n").utf8))
                failed = true
            }
        }
        if compare {
            if !failed {
                try Output.write(OutputLocale.render(format) { CompareReport(a: reports[0], b: reports[1]).render(format) })
            }
        } else if !reports.isEmpty {
            try Output.write(OutputLocale.render(format) { Report.render(reports, format) })
        }
        if failed { throw AlreadyReported() }
    }

    private func report(_ reference: String) throws(ModelFailure) -> Report {
        var loaded = try loadModel(.commandLine(reference))
        if let input {
            // A checkpoint's rows are its tensors, with no formula to shape: every MAC would read 0.
            if loaded.checkpoint != nil, input.dims != nil {
                throw ModelFailure(message: ModelReference.commandLine(reference).displayName + ": --input needs layers with formulas; "
                                   + "a checkpoint's rows are its tensors (count its config.json with --input instead)")
            }
            loaded.model.input = input.dims
        }
        let count: ModelCount
        do { count = try Counter.count(loaded.model, convention: convention) } catch var error {
            error.file = ModelReference.commandLine(reference).displayName
            error.line = loaded.source.line(of: error)
            throw ModelFailure(message: error.description + (convention.map { " (under the \($0.rawValue) convention)" } ?? "")
                               + (input.map { " (with --input \($0.dims.map { Shape.input($0, firstKind: nil).description } ?? "none"))" } ?? ""))
        }
        var report = Report(loaded, count: count, dtype: dtype, origin: reference)
        report.depth = depth
        if plan {
            do {
                report.plan = try Planner.plan(loaded.model, count: count, settings: planOptions.settings(weights: dtype),
                                               stored: loaded.checkpoint?.storedWeights)
            } catch {
                throw ModelFailure(message: error.description)
            }
        }
        return report
    }
}

struct PresetList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the built-in models and their totals.",
        discussion: "Open one with `paramcount preset:NAME`, or count it with `paramcount count preset:NAME`.")

    func run() throws {
        let rows = Presets.all.map { p -> (String, String, String, String) in
            let total = (try? Counter.count(p.model).total) ?? 0
            return (p.id, Format.grouped(total), p.model.convention.rawValue, p.summary)
        }
        let w0 = rows.map(\.0.count).max() ?? 0, w1 = rows.map(\.1.count).max() ?? 0
        try Output.write(rows.map { r in
            r.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: w1 - r.1.count) + r.1 + "  "
                + r.2.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + r.3 + "\n"
        }.joined())
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a model in the full-screen editor (the default command).",
        discussion: """
            Examples:
              paramcount                       the built-in example
              paramcount model.yaml            edit a file (saved with s)
              paramcount preset:bert-base      start from a preset (s asks for a file name)
              paramcount a.yaml b.yaml         compare two models side by side
              paramcount ./Llama-2-7b-hf/      a checkpoint, read-only (s saves a copy)
              paramcount design.yaml ./Llama-2-7b-hf/   a design beside the checkpoint
              paramcount --classroom           big total, derivations step by step

            Press ? in the editor for every key.
            """)

    @Argument(help: "A model file, a Hugging Face config.json, a checkpoint (.safetensors, a folder of shards, .gguf) or preset:NAME (two to compare them); none opens the built-in example.")
    var models: [String] = []

    @Flag(help: "Start in classroom mode (T toggles it).")
    var classroom = false

    @Flag(help: "Draw without colours (also when NO_COLOR is set).")
    var monochrome = false

    func validate() throws {
        if models.count > 2 {
            throw ValidationError("open one model, or two to compare; for more use: paramcount count \(models.joined(separator: " "))")
        }
    }

    func run() throws {
        var documents: [Document] = []
        for reference in models.isEmpty ? ["preset:example"] : models {
            let loaded = try loadModel(ModelReference(reference))
            do {
                documents.append(try Document(loaded, origin: reference))
            } catch { throw ModelFailure(message: error.description) }
        }
        var terminal: Terminal
        do { terminal = try Terminal(forceMonochrome: monochrome) } catch {
            FileHandle.standardError.write(Data("paramcount: \(error)\n".utf8))
            Foundation.exit(2)
        }
        var state = AppState(documents: documents, width: terminal.size.width, height: terminal.size.height,
                             classroom: classroom)
        state.ascii = terminal.ascii
        // A stopped session's unsaved edits of a file: offer them back (the first side that has
        // some). Edits of an unnamed model may belong to any model, so those are only pointed at.
        if let (side, recovery) = documents.enumerated().lazy.compactMap({ side, doc in
            doc.path == nil ? nil : Recovery.pending(for: doc.path, side: side).map { (side, $0) } }).first {
            state.mode = .ask(.restore(recovery: recovery, side: side))
        } else if let untitled = documents.enumerated().lazy.compactMap({ Recovery.pending(for: $1.path, side: $0) }).first {
            state.message = StatusMessage(kind: .info, text: "Unsaved edits of an unnamed model from a session that was stopped are in "
                + TerminalSafe.escape(untitled) + ": open them with \(KeyMap.label(for: .open))")
        }
        runLoop(&state, screen: &terminal)
        terminal.stop()
        let signal = terminal.stoppedBySignal
        if signal != 0 {
            let unsaved = state.documents.enumerated().filter { $1.isModified }.map { (model: $1.model, path: $1.path, side: $0) }
            let notes = Recovery.write(unsaved)
            let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
            let message = "paramcount: stopped by \(name)" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(128 + signal)
        }
    }
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the editor's key bindings as a Markdown table.")

    func run() throws { try Output.write(KeyMap.markdown) }
}
