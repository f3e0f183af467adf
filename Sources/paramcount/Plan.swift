import ArgumentParser
import Foundation
import ParamCountCore
import ParamCountFiles

extension PlanMode: ExpressibleByArgument {}
extension Optimizer: ExpressibleByArgument {}
extension LoRATargets: ExpressibleByArgument {}
extension Recompute: ExpressibleByArgument {}

/// A whole number as every reader of paramcount takes it (IntegerText): decimal digits, `_` between
/// two of them allowed, so `32_768` works here as in a model file, and `1e3` gets advice.
struct WholeNumber: Sendable {
    let value: Int

    static func parse(_ text: String) throws -> WholeNumber {
        switch IntegerText.parse(text) {
        case .success(let n): return WholeNumber(value: n)
        case .failure(.misspelt(let advice)): throw ValidationError(advice)
        case .failure(.tooLarge): throw ValidationError("\(text) is too large: at most 9,223,372,036,854,775,807")
        case .failure(.notAnInteger): throw ValidationError("\(text) is not a whole number")
        }
    }
}

/// The settings of a plan, shared by `paramcount plan` and `paramcount count --plan`. Training
/// settings given without --train are a usage error rather than silently ignored.
struct PlanOptions: ParsableArguments {
    @Option(help: "Tokens per sequence (default 4096).", transform: WholeNumber.parse)
    var context: WholeNumber?

    @Option(help: "Sequences processed together (default 1).", transform: WholeNumber.parse)
    var batch: WholeNumber?

    @Option(name: .customLong("kv-dtype"), help: "Number format of the KV cache: fp32, fp16 (default), bf16, int8, int4.")
    var kvDtype: DType?

    @Flag(help: "Plan training instead of inference: gradients, optimizer states, master weights, activations.")
    var train = false

    @Option(help: "With --train: adamw (default), sgd (with momentum) or adafactor.")
    var optimizer: Optimizer?

    @Flag(inversion: .prefixedNo, help: "With --train: 16-bit weights and gradients with fp32 master weights (default on).")
    var mixedPrecision: Bool?

    @Option(help: "With --train: what the backward pass recomputes, for the activation estimate: none (default), selective, full.")
    var recompute: Recompute?

    @Option(name: .customLong("lora-rank"), help: "With --train: LoRA rank; 0 (default) is full fine-tuning.",
            transform: WholeNumber.parse)
    var loraRank: WholeNumber?

    @Option(name: .customLong("lora-targets"), help: "With --lora-rank: qv (default), attention, mlp or all-linear.")
    var loraTargets: LoRATargets?

    /// Whether any setting was given, for `count`, where they need --plan.
    var anyGiven: Bool {
        context != nil || batch != nil || kvDtype != nil || train || optimizer != nil || mixedPrecision != nil
            || recompute != nil || loraRank != nil || loraTargets != nil
    }

    func validate() throws {
        if let c = context, c.value < 1 { throw ValidationError("--context must be at least 1 token, got \(c.value)") }
        if let b = batch, b.value < 1 { throw ValidationError("--batch must be at least 1 sequence, got \(b.value)") }
        if let r = loraRank, r.value < 0 { throw ValidationError("--lora-rank must be 0 (full fine-tuning) or more, got \(r.value)") }
        if !train {
            let training = [("--optimizer", optimizer != nil), ("--mixed-precision", mixedPrecision != nil),
                            ("--recompute", recompute != nil), ("--lora-rank", loraRank != nil), ("--lora-targets", loraTargets != nil)]
            if let (name, _) = training.first(where: { $0.1 }) {
                throw ValidationError("\(name) applies to training: add --train")
            }
        }
        if loraTargets != nil && (loraRank?.value ?? 0) == 0 {
            throw ValidationError("--lora-targets needs --lora-rank above 0 (0 is full fine-tuning)")
        }
    }

    func settings(weights: DType) -> PlanSettings {
        let d = PlanSettings()
        return PlanSettings(weights: weights, kvCache: kvDtype ?? d.kvCache, context: context?.value ?? d.context,
                            batch: batch?.value ?? d.batch, mode: train ? .training : .inference,
                            optimizer: optimizer ?? d.optimizer, mixedPrecision: mixedPrecision ?? d.mixedPrecision,
                            loraRank: loraRank?.value ?? d.loraRank, loraTargets: loraTargets ?? d.loraTargets,
                            recompute: recompute ?? d.recompute)
    }
}

/// The output formats of `paramcount plan`.
enum PlanOutput: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Memory and compute to run or train a model, and the accelerators it fits on.",
        discussion: """
            Every figure is printed with its formula and the numbers put in. Weights, the KV cache, \
            gradients, master weights and optimizer states follow exactly from the model and the \
            settings; activations are an estimate, printed apart and named as one; compute follows \
            Kaplan et al. 2020. Sizes are given in GiB (2^30 bytes) and GB (10^9 bytes).

            Examples:
              paramcount plan preset:llama-3.1-8b --dtype bf16 --context 32768 --batch 4
              paramcount plan model.yaml --train --lora-rank 16 --lora-targets all-linear
              paramcount plan model.yaml --train --optimizer adafactor --no-mixed-precision
              paramcount plan model.yaml --format json
            """)

    @Argument(help: "A model file (YAML or JSON), preset:NAME, or - for standard input.")
    var model: String

    @Option(help: "Count under this convention instead of the model's own (textbook, pytorch, keras).")
    var convention: Convention?

    @Option(help: "Number format of the weights (frozen ones when training): fp32 (default), fp16, bf16, int8, int4. A safetensors or GGUF checkpoint is planned as stored unless this is given.")
    var dtype: DType?

    @OptionGroup var options: PlanOptions

    @Option(help: "Output format: text or json.")
    var format: PlanOutput = .text

    func run() throws {
        let loaded = try loadModel(.commandLine(model))
        let count: ModelCount
        do { count = try Counter.count(loaded.model, convention: convention) } catch var error {
            error.file = ModelReference.commandLine(model).displayName
            error.line = loaded.source.line(of: error)
            throw ModelFailure(message: error.description)
        }
        let plan: Plan
        var settings = options.settings(weights: dtype ?? .fp32)
        settings.asStored = dtype == nil
        do { plan = try Planner.plan(loaded.model, count: count, settings: settings, stored: loaded.checkpoint?.storedWeights) } catch {
            throw ModelFailure(message: error.description)
        }
        let report = PlanReport(plan: plan, title: loaded.model.name ?? model, origin: model)
        switch format {
        case .text: try Output.write(OutputLocale.render(.table) { report.text() })
        case .json: try Output.write(report.json() + "\n")
        }
    }
}
