import ParamCountApp
import ParamCountCore
import ParamCountFiles

/// Shapes: the stride of ResNet-50's first layer (conv1) edited in the form. Every keystroke that
/// changes it reshapes and recounts every layer below (a model with an input shape is counted
/// whole) and draws a 200×60 frame.
func shapeBenchmarks() {
    let model = Presets.named("resnet50")!.model
    precondition(model.input == [3, 224, 224] && model.layers[0].name == "conv1")
    var state = AppState(document: try! Document(model: model, path: nil, origin: "preset:resnet50"), width: 200, height: 60)
    state.document.selection = 0
    state.focus = .form
    guard let row = FormRow.rows(for: .conv).firstIndex(of: .field(Schema.fields(of: .conv).first { $0.field == .stride }!)) else {
        fatalError("the conv form has no stride row")
    }
    state.document.field = row
    _ = reduce(&state, .key(.enter))
    _ = reduce(&state, .key(.ctrl("u")))
    guard case .editing(let e) = state.mode, e.target == .field(.stride) else { fatalError("not editing stride") }
    var samples: [Double] = []
    var digits: [Double] = []
    samples.reserveCapacity(4_000)
    var sink = 0
    for k in 0..<4_000 {
        // 1, backspace, 2, backspace: the stride goes 1 → (empty) → 2 → (empty), reshaping each time.
        let key: Key = k % 2 == 1 ? .backspace : .char(k % 4 == 0 ? "1" : "2")
        let t0 = now()
        _ = reduce(&state, .key(key))
        let grid = render(state)
        let ms = Double(now() - t0) / 1e6
        samples.append(ms)
        if k % 2 == 0 {
            digits.append(ms)
            // conv1 (7×7, padding 3) gives 224×224 at stride 1 and 112×112 at stride 2, as torchvision's.
            precondition(state.editing?.error == nil, String(describing: state.editing?.error))
            precondition(state.shownCount.layers[0].shapes?.output.dims == [64, k % 4 == 0 ? 224 : 112, k % 4 == 0 ? 224 : 112])
        }
        sink &+= grid.width
    }
    precondition(sink > 0)
    report("controller: stride edited in ResNet-50's first layer, reshape + recount + 200×60 frame, p50", median(samples), "ms")
    report("controller: stride edited in ResNet-50's first layer, reshape + recount + 200×60 frame, p99", percentile(samples, 0.99), "ms",
           budget: 1)
    report("controller: ResNet-50 stride, digits only, p99", percentile(digits, 0.99), "ms")
}
