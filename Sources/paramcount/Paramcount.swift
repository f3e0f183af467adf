import ArgumentParser
import Foundation
import ParamCountCore
import ParamCountFiles

extension Convention: ExpressibleByArgument {}
extension DType: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

@main
struct Paramcount: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paramcount",
        abstract: "Size deep-learning models by their parameter count.",
        discussion: """
            Opens a model in a full-screen editor, or counts it from the command line. A model is a \
            YAML or JSON file, or a built-in preset written preset:NAME.

            Examples:
              paramcount                                  open the built-in example
              paramcount model.yaml                       edit a model
              paramcount preset:bert-base preset:gpt2-small   compare two models side by side
              paramcount --classroom                      big total, derivations step by step
              paramcount count preset:bert-base           print BERT-base's parameter table
              paramcount count lstm.yaml --convention keras --format json
              paramcount presets                          list the presets and their totals
              paramcount keys                             list the editor's keys
            """,
        version: "paramcount 0.1.0",
        subcommands: [Edit.self, Count.self, PresetList.self, Keys.self],
        defaultSubcommand: Edit.self
    )

    /// Usage errors exit 2 and invalid models 1, as the docs promise; the parser's own default for
    /// usage errors (64) is remapped here.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ModelFailure {
            FileHandle.standardError.write(Data(("paramcount: " + error.message + "\n").utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure && !(error is ValidationError) {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// An invalid model or an unreadable file: exit status 1.
struct ModelFailure: Error {
    var message: String
}

func loadModel(_ reference: ModelReference) throws -> LoadedModel {
    do { return try ModelFile.load(reference) } catch { throw ModelFailure(message: error.description) }
}
