import ArgumentParser
import Foundation
import ParamCountCore
import ParamCountFiles

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a model paramcount reads (a Hugging Face config.json, a preset…) as a paramcount model file.",
        discussion: """
            The file written has the layers, groups and names paramcount opened, so it can be edited \
            and counted like any model file; it counts the same as what it was imported from.

            Examples:
              paramcount import config.json -o llama.yaml
              paramcount import ./Llama-2-7b-hf/ -o llama.json     a folder holding config.json
              paramcount import config.json                         YAML on standard output

            Exit status: 0 on success, 1 when the input cannot be read or the file cannot be written \
            (an existing file is kept unless --force is given), 2 on a usage error.
            """)

    @Argument(help: "A Hugging Face config.json (or a folder holding one), a model file or preset:NAME.")
    var input: String

    @Option(name: [.short, .customLong("output")],
            help: "The paramcount model file to write: JSON when it ends in .json, else YAML. Without it, YAML on standard output.")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        let loaded = try loadModel(ModelReference(input))
        guard let output else {
            try Output.write(ModelWriter.yaml(loaded.model))
            return
        }
        var st = stat()
        if !force && lstat(output, &st) == 0 {
            throw ModelFailure(message: "\(TerminalSafe.escape(output)) exists; give --force to replace it, or another name")
        }
        do { try ModelFile.save(loaded.model, to: output) } catch {
            throw ModelFailure(message: error.description)
        }
    }
}
