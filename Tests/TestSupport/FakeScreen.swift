import ParamCountApp

/// The real event loop against a fake screen: keys in, frames out, no terminal and no sleeps.
public struct FakeScreen: Screen {
    public var queue: [Action?]
    public var frames: [Grid] = []
    public var stopRequested: Bool { false }

    public init(queue: [Action?]) { self.queue = queue }

    public mutating func nextKey() -> Action? {
        // nil stands for a poll interval with no key; an empty queue quits.
        queue.isEmpty ? .key(.char("q")) : queue.removeFirst()
    }

    public mutating func draw(_ grid: Grid) { frames.append(grid) }
}
