import ParamCountCore
import ParamCountFiles

/// Something that happened: a key, a resize, or the result of an effect the loop carried out.
public enum Action: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case saved(side: Int, path: String, error: String?, quitAfter: Bool)
    /// A "save as" stopped because the file exists.
    case exists(side: Int, path: String, quitAfter: Bool)
    case opened(reference: String, asSideB: Bool, result: Result<LoadedModel, ModelError>)
    /// The entries of the folder a prompt's text names, for Tab completion.
    case listed(text: String, entries: [String])
    case restored(side: Int, recovery: String, result: Result<LoadedModel, ModelError>)
}

/// Work with the outside world that the reducer asks the loop to do.
public enum Effect: Equatable, Sendable {
    case save(Model, path: String, side: Int, quitAfter: Bool)
    /// Save under a name the user typed: stops with `.exists` rather than replace a file.
    case saveNew(Model, path: String, side: Int, quitAfter: Bool)
    case open(String, asSideB: Bool)
    /// List the folder of a file name being typed, to complete it.
    case complete(String, purpose: PromptPurpose)
    /// Read a recovery file to put its edits back into a side.
    case restore(recovery: String, side: Int)
}
