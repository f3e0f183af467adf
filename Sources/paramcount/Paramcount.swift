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
            YAML or JSON file, a built-in preset written preset:NAME, a Hugging Face config.json (or a \
            folder holding one), or a checkpoint (a .safetensors file, a folder of shards or its index, \
            a .gguf file), read by its headers alone.

            Examples:
              paramcount                                  open the built-in example
              paramcount model.yaml                       edit a model
              paramcount preset:bert-base preset:gpt2-small   compare two models side by side
              paramcount --classroom                      big total, derivations step by step
              paramcount count preset:bert-base           print BERT-base's parameter table
              paramcount count config.json                count a Hugging Face model from its config
              paramcount import config.json -o m.yaml     write it as a paramcount model to edit
              paramcount count lstm.yaml --convention keras --format json
              paramcount plan model.yaml --train --lora-rank 16   memory and compute to train it, and the cards it fits on
              paramcount presets                          list the presets and their totals
              paramcount keys                             list the editor's keys
            """,
        version: "paramcount 0.1.0",
        subcommands: [Edit.self, Count.self, PlanCommand.self, Import.self, PresetList.self, Keys.self],
        defaultSubcommand: Edit.self
    )

    /// Usage errors exit 2 and invalid models 1, as the docs promise; the parser's own default for
    /// usage errors (64) is remapped here.
    static func main() {
        Backtracer.makeNonInteractive()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            try rejectDashNames(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as ModelFailure {
            FileHandle.standardError.write(Data(("paramcount: " + error.message + "\n").utf8))
            Foundation.exit(1)
        } catch is AlreadyReported {
            Foundation.exit(1)
        } catch let error as Output.Failure {
            FileHandle.standardError.write(Data(("paramcount: could not write the output: " + error.reason + "\n").utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version, written like every other output so a write error is not a success.
                do { try Output.write(fullMessage(for: error) + "\n") } catch {
                    FileHandle.standardError.write(Data(("paramcount: could not write the output: " + error.reason + "\n").utf8))
                    Foundation.exit(1)
                }
                Foundation.exit(0)
            }
            if code == .failure && !(error is ValidationError) {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// No option of paramcount is a single dash and several letters, but the parser reads `-dash.yaml`
/// as the short options -d -a -s -h… and the `h` in it printed the help and exited 0. Such an
/// argument is a usage error that says how to name the file.
func rejectDashNames(_ arguments: [String]) throws {
    for argument in arguments {
        if argument == "--" { return }
        if argument.count > 2 && argument.hasPrefix("-") && !argument.hasPrefix("--") {
            throw ValidationError("unknown option '\(argument)'; a file whose name starts with '-' is written ./\(argument) "
                                  + "or after -- (paramcount count -- \(argument))")
        }
    }
}

/// An invalid model or an unreadable file: exit status 1.
struct ModelFailure: Error {
    var message: String
}

/// A failure whose messages are already on stderr: exit status 1.
struct AlreadyReported: Error {}

func loadModel(_ reference: ModelReference) throws(ModelFailure) -> LoadedModel {
    // A big model file takes a second or more to read (YAML most of all): say so on a terminal,
    // so the wait is not a blank screen, and clear the line when done.
    var announced = false
    // Checkpoints are read by their headers only, so their size says nothing about the wait.
    if case .file(let path) = reference, isatty(STDERR_FILENO) == 1,
       !path.lowercased().hasSuffix(".safetensors"), !path.lowercased().hasSuffix(".gguf"),
       let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size >= 1 << 20 {
        FileHandle.standardError.write(Data("paramcount: reading \(TerminalSafe.escape(path)) (\(Format.bytes(Double(size))))…".utf8))
        announced = true
    }
    defer { if announced { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
    do { return try ModelFile.load(reference) } catch { throw ModelFailure(message: error.description) }
}
