import ParamCountApp
import ParamCountCore
import Testing
import TestSupport

@Suite("event loop")
struct LoopTests {
    @Test func drawsOnlyWhenTheFrameChanges() {
        var state = exampleState()
        // Idle polls, a key that changes nothing (up at the top), then a real move.
        var screen = FakeScreen(queue: [nil, nil, nil, .key(.up), nil, .key(.down), nil, nil])
        runLoop(&state, screen: &screen)
        #expect(state.quitRequested)
        // The first frame, then one for the move: idle polls and no-op keys draw nothing.
        #expect(screen.frames.count == 2)
        #expect(screen.frames.last == render(state))
    }

    @Test func effectsAreCarriedOutAndFedBack() {
        var state = exampleState()
        var screen = FakeScreen(queue: [.key(.char("o"))] + "preset:lenet5".map { .key(.char($0)) } + [.key(.enter)])
        runLoop(&state, screen: &screen)
        #expect(state.document.count.total == 61_706)
        #expect(screen.frames.last?.text.contains("LeNet-5") == true)
    }
}
