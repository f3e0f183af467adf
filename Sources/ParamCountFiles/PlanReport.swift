import ParamCountCore

extension Checkpoint {
    /// The bytes of each stored type, for the planner's "weights as stored".
    public var storedWeights: StoredWeights {
        StoredWeights(format: format == .gguf ? "GGUF" : "safetensors",
                      entries: bytesByDtypeSorted.map { StoredWeights.Entry(type: TerminalSafe.escape($0.dtype), bytes: $0.bytes) })
    }
}

/// A plan as `paramcount plan` prints it (text for people, or JSON), and as the `plan` object that
/// `count --format json --plan` adds to a model's record.
public struct PlanReport {
    public let plan: Plan
    public let title: String
    public let origin: String

    public init(plan: Plan, title: String, origin: String) {
        self.plan = plan
        self.title = title
        self.origin = origin
    }

    /// The settings in one line: `inference · weights bf16 · KV cache fp16 · context 32,768 · batch 4`.
    var settingsLine: String {
        let s = plan.settings
        var parts = [s.mode.rawValue, "weights " + (plan.weightsAsStored.map { "as stored (\($0))" } ?? s.weights.rawValue)]
        if s.training {
            parts += [s.optimizer.title, "mixed precision " + (s.mixedPrecision ? "on" : "off"), "recompute \(s.recompute.title)",
                      s.lora ? "LoRA r=\(s.loraRank) on \(s.loraTargets.title)" : "full fine-tuning"]
        } else {
            parts.append("KV cache \(s.kvCache.rawValue)")
        }
        parts += ["context \(Format.grouped(s.context))", "batch \(Format.grouped(s.batch))"]
        return parts.joined(separator: " · ")
    }

    public func text() -> String {
        let p = plan
        var out = [TerminalSafe.escape(title) + "  (" + TerminalSafe.escape(origin) + ", \(p.convention.rawValue) convention, "
                   + Format.grouped(p.parameters) + " parameters)", settingsLine, ""]
        func figure(_ f: PlanFigure) { out.append("  " + f.label + ": " + f.line) }
        if let a = p.adapters {
            out.append("Trainable (LoRA)")
            figure(a)
            out.append("")
        }
        out.append("Memory (exact)")
        p.memory.forEach(figure)
        out.append("  total: " + (p.exactBytes.map { PlanFormat.exact($0, .bytes) + " (" + PlanFormat.binary($0) + " · "
                                                       + PlanFormat.decimal($0) + ")" } ?? "too large for 64 bits"))
        if let per = p.perParameter { out.append("  " + per) }
        if let a = p.activations {
            out += ["", "Activations (ESTIMATE, not in the total above)"]
            figure(a)
            out.append("  needed with the estimate: " + (p.neededBytes.map { PlanFormat.binary($0) + " · " + PlanFormat.decimal($0) }
                                                          ?? "too large for 64 bits"))
        }
        out += ["", p.compute.first?.id == .forwardPerSample ? "Compute (from the shapes; ≈ per token, Kaplan et al. 2020)"
                                                              : "Compute (≈, Kaplan et al. 2020)"]
        p.compute.forEach(figure)
        out += ["", "Fits on" + (p.neededBytes.map { " (needs " + PlanFormat.binary($0) + (p.neededIncludesEstimate ? " with the estimate)" : ")") } ?? "")]
        if p.fits.isEmpty { out.append("  nothing: the plan is too large to count") }
        let nameWidth = p.fits.map { DisplayWidth.columns($0.accelerator.name) }.max() ?? 0
        for f in p.fits {
            let name = f.accelerator.name + String(repeating: " ", count: nameWidth - DisplayWidth.columns(f.accelerator.name))
            out.append("  " + (f.fits ? "✓ " : "✗ ") + name + "  " + (f.fits ? "headroom " : "short by ")
                       + PlanFormat.binary(abs(f.headroom)))
        }
        out += ["", "Definitions"]
        for f in [p.adapters].compactMap({ $0 }) + p.memory + [p.activations].compactMap({ $0 }) + p.compute {
            for note in f.notes { out.append("  " + f.label + ": " + note) }
        }
        for note in p.notes { out.append("  " + note) }
        for note in Set(Accelerators.all.compactMap(\.note)).sorted() { out.append("  " + note) }
        return out.joined(separator: "\n") + "\n"
    }

    /// The plan as a JSON object; numbers that do not fit in 64 bits are null.
    public func json(indent: String = "") -> String {
        let p = plan, s = p.settings
        let i1 = indent + "  ", i2 = i1 + "  "
        func q(_ text: String) -> String { ModelWriter.quoted(text) }
        func number(_ n: Int?) -> String { n.map(String.init) ?? "null" }
        func figure(_ f: PlanFigure, _ key: String) -> String {
            "{\"name\": \(q(f.id.rawValue)), \"\(key)\": \(number(f.value)), \"estimate\": \(f.certainty == .estimate), "
                + "\"formula\": \(q(f.line)), \"notes\": [" + f.notes.map(q).joined(separator: ", ") + "]}"
        }
        var lines: [String] = []
        lines.append("\"settings\": {\"mode\": \(q(s.mode.rawValue)), \"weights\": \(q(s.weights.rawValue)), "
                     + "\"kv_cache\": \(q(s.kvCache.rawValue)), \"context\": \(s.context), \"batch\": \(s.batch), "
                     + "\"optimizer\": \(q(s.optimizer.rawValue)), \"mixed_precision\": \(s.mixedPrecision), "
                     + "\"recompute\": \(q(s.recompute.rawValue)), \"lora_rank\": \(s.loraRank), \"lora_targets\": \(q(s.loraTargets.rawValue))}")
        lines.append("\"convention\": \(q(p.convention.rawValue))")
        lines.append("\"weights_as_stored\": " + (p.weightsAsStored.map(q) ?? "null"))
        lines.append("\"parameters\": \(p.parameters)")
        lines.append("\"trainable\": \(number(p.trainable))")
        lines.append("\"lora\": " + (p.adapters.map { figure($0, "params") } ?? "null"))
        lines.append("\"memory\": [\n" + p.memory.map { i2 + figure($0, "bytes") }.joined(separator: ",\n") + "\n" + i1 + "]")
        lines.append("\"exact_bytes\": \(number(p.exactBytes))")
        lines.append("\"bytes_per_trainable_parameter\": " + (p.perParameter.map(q) ?? "null"))
        lines.append("\"activations\": " + (p.activations.map { figure($0, "bytes") } ?? "null"))
        lines.append("\"needed_bytes\": \(number(p.neededBytes))")
        lines.append("\"needed_includes_estimate\": \(p.neededIncludesEstimate)")
        lines.append("\"compute\": [\n" + p.compute.map { i2 + figure($0, "flops") }.joined(separator: ",\n") + "\n" + i1 + "]")
        lines.append("\"fits\": [\n" + p.fits.map { f in
            i2 + "{\"accelerator\": \(q(f.accelerator.name)), \"memory_bytes\": \(f.accelerator.bytes), "
                + "\"fits\": \(f.fits), \"headroom_bytes\": \(f.headroom)"
                + (f.accelerator.note.map { ", \"note\": \(q($0))" } ?? "") + "}"
        }.joined(separator: ",\n") + (p.fits.isEmpty ? "" : "\n" + i1) + "]")
        lines.append("\"notes\": [" + p.notes.map(q).joined(separator: ", ") + "]")
        return "{\n" + lines.map { i1 + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
    }
}
