import ParamCountCore

extension Renderer {
    mutating func picker(_ selection: Int) {
        let kinds = LayerKind.allCases
        let h = min(kinds.count + 2, state.height - 2)
        let (x, y) = overlay(width: 40, height: h, title: "Add a layer below")
        let visible = h - 2
        let start = max(0, min(selection - visible + 1, kinds.count - visible))
        for (j, kind) in kinds.dropFirst(max(0, start)).prefix(visible).enumerated() {
            let idx = j + max(0, start)
            grid.put(" " + kind.rawValue.padded(to: 12) + kindSummary(kind), x: x + 1, y: y + 1 + j,
                     role: idx == selection ? .selected : .overlay, limit: 38)
            if idx == selection { grid.paint(x: x + 1, y: y + 1 + j, width: min(38, state.width - 4), role: .selected) }
        }
    }

    func kindSummary(_ kind: LayerKind) -> String {
        switch kind {
        case .dense: return "fully connected"
        case .rnn: return "simple recurrent"
        case .gru: return "gated recurrent unit"
        case .lstm: return "long short-term memory"
        case .conv: return "convolution 1-3 D"
        case .attention: return "multi-head attention"
        case .layernorm: return "layer normalisation"
        case .rmsnorm: return "RMS normalisation"
        case .batchnorm: return "batch normalisation"
        case .embedding: return "lookup table"
        case .encoder: return "transformer encoder"
        case .decoder: return "transformer decoder"
        case .custom: return "fixed count"
        }
    }
}
