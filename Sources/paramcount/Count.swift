import ArgumentParser
import Foundation
import ParamCountCore
import ParamCountFiles

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the parameter count of one or more models.",
        discussion: """
            Examples:
              paramcount count preset:resnet50
              paramcount count model.yaml --convention pytorch --dtype bf16
              paramcount count a.yaml b.yaml --format markdown
              paramcount count preset:bert-base --format json

            Exit status: 0 on success, 1 when a model is invalid (the message on stderr names the \
            file, line, layer and field), 2 on a usage error.
            """)

    @Argument(help: "Model files (YAML or JSON) or presets written preset:NAME.")
    var models: [String]

    @Option(help: "Count under this convention instead of the model's own (textbook, pytorch, keras).")
    var convention: Convention?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ReportFormat = .table

    @Option(help: "Number format of the weights, for the memory figure: fp32, fp16, bf16, int8, int4.")
    var dtype: DType = .fp32

    func run() throws {
        var reports: [Report] = []
        for reference in models {
            let loaded = try loadModel(reference)
            let count: ModelCount
            do { count = try Counter.count(loaded.model, convention: convention) } catch var error {
                error.file = reference
                error.line = loaded.source.line(layer: error.layer, field: error.field)
                throw ModelFailure(message: error.description + (convention.map { " (under the \($0.rawValue) convention)" } ?? ""))
            }
            reports.append(Report(model: loaded.model, count: count, dtype: dtype, origin: reference))
        }
        print(Report.render(reports, format), terminator: "")
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
        for r in rows {
            print(r.0.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
                  + String(repeating: " ", count: w1 - r.1.count) + r.1 + "  "
                  + r.2.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + r.3)
        }
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open models in the full-screen editor (the default command).")

    @Argument(help: "A model file or preset:NAME; none opens the built-in example.")
    var models: [String] = []

    func run() throws {
        let loaded = try loadModel(models.first ?? "preset:example")
        let count = try Counter.count(loaded.model)
        print(Report(model: loaded.model, count: count, dtype: .fp32, origin: loaded.origin).render(.table), terminator: "")
    }
}
