import Foundation

/// What a user named as a model, decided once where the name comes in (the command line or the
/// editor's prompts); everything after that matches on the case instead of looking at the text.
public enum ModelReference: Hashable, Sendable, CustomStringConvertible {
    /// A built-in model, written `preset:NAME`.
    case preset(String)
    /// A path that is not a folder (it may not exist: reading it says so).
    case file(String)
    /// A folder, such as a downloaded checkpoint.
    case folder(String)
    /// `-` on the `count` command line.
    case standardInput

    public static let presetPrefix = "preset:"

    /// `preset:NAME` is a preset, an existing folder a folder, anything else a file path. A lone
    /// `-` is a file named `-` here: only `commandLine(_:)` reads it as standard input, so the
    /// editor's prompts can never start reading the keyboard as a model.
    public init(_ text: String) {
        if text.hasPrefix(Self.presetPrefix) {
            self = .preset(String(text.dropFirst(Self.presetPrefix.count)))
            return
        }
        var st = stat()
        if stat(text, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            self = .folder(text)
        } else {
            self = .file(text)
        }
    }

    /// A model argument of the `count` command, where `-` means standard input.
    public static func commandLine(_ text: String) -> ModelReference {
        text == "-" ? .standardInput : ModelReference(text)
    }

    /// As the user wrote it.
    public var description: String {
        switch self {
        case .preset(let name): return Self.presetPrefix + name
        case .file(let path), .folder(let path): return path
        case .standardInput: return "-"
        }
    }

    /// The file or folder on disk, if there is one.
    public var path: String? {
        switch self {
        case .file(let path), .folder(let path): return path
        case .preset, .standardInput: return nil
        }
    }

    /// How error messages name it.
    public var displayName: String { self == .standardInput ? "standard input" : description }
}
