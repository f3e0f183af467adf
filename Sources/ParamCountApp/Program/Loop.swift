import Foundation
import ParamCountCore
import ParamCountFiles

/// The file system as the editor sees it: the live one, or an in-memory one in tests, so reducer
/// and loop tests never touch the disk.
public struct FileStore: Sendable {
    public var save: @Sendable (Model, String) throws(SaveError) -> Void
    public var load: @Sendable (String) throws(ModelError) -> LoadedModel
    /// The names in a folder, folders with a trailing "/"; empty when it cannot be read.
    public var list: @Sendable (String) -> [String]
    /// Whether something exists at a path (a file, a folder, or a link, even a broken one).
    public var exists: @Sendable (String) -> Bool

    public init(save: @escaping @Sendable (Model, String) throws(SaveError) -> Void,
                load: @escaping @Sendable (String) throws(ModelError) -> LoadedModel,
                list: @escaping @Sendable (String) -> [String] = { _ in [] },
                exists: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.save = save
        self.load = load
        self.list = list
        self.exists = exists
    }

    public static let live = FileStore(save: { model, path throws(SaveError) in try ModelFile.save(model, to: path) },
                                       load: { reference throws(ModelError) in try ModelFile.load(reference) },
                                       list: { folder in
        let fm = FileManager.default
        let dir = folder.isEmpty ? "." : folder
        // A folder with a million entries should not stall a keystroke.
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else { return [] }
        return names.prefix(10_000).map { name in
            var isDir: ObjCBool = false
            let path = (dir as NSString).appendingPathComponent(name)
            return fm.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? name + "/" : name
        }
    }, exists: { path in
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    })
}

/// Carries out an effect and returns what happened, to be fed back to `reduce`. The only file I/O
/// the editor does goes through here.
public func perform(_ effect: Effect, store: FileStore = .live) -> Action {
    switch effect {
    case .save(let model, let path, let side, let quitAfter):
        do {
            try store.save(model, path)
            return .saved(side: side, path: path, error: nil, quitAfter: quitAfter)
        } catch {
            return .saved(side: side, path: path, error: error.description, quitAfter: quitAfter)
        }
    case .saveNew(let model, let path, let side, let quitAfter):
        if store.exists(path) { return .exists(side: side, path: path, quitAfter: quitAfter) }
        return perform(.save(model, path: path, side: side, quitAfter: quitAfter), store: store)
    case .open(let reference, let asSideB):
        do { return .opened(reference: reference, asSideB: asSideB, result: .success(try store.load(reference))) } catch {
            return .opened(reference: reference, asSideB: asSideB, result: .failure(error))
        }
    case .restore(let recovery, let side):
        do { return .restored(side: side, recovery: recovery, result: .success(try store.load(recovery))) } catch {
            return .restored(side: side, recovery: recovery, result: .failure(error))
        }
    case .complete(let text, _):
        return .listed(text: text, entries: store.list(Completion.folder(of: text)))
    }
}

/// What the event loop talks to: the real terminal, or a fake one in tests.
public protocol Screen {
    /// The next key, or nil when none came within the poll interval.
    mutating func nextKey() -> Action?
    mutating func draw(_ grid: Grid)
    /// Set when a signal asks the program to stop (SIGINT, SIGTERM, SIGHUP).
    var stopRequested: Bool { get }
}

/// One keystroke flows one way: key → action → new state → grid → screen. Redraws only when the
/// state changed; nothing is drawn while idle.
public func runLoop<S: Screen>(_ state: inout AppState, screen: inout S, store: FileStore = .live) {
    var last = render(state)
    screen.draw(last)
    while !state.quitRequested && !screen.stopRequested {
        guard let action = screen.nextKey() else { continue }
        var pending = reduce(&state, action)
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            pending += reduce(&state, perform(effect, store: store))
        }
        // Comparing frames is cheaper than comparing states (a state holds whole models).
        let grid = render(state)
        if grid != last {
            screen.draw(grid)
            last = grid
        }
    }
}
