// libFuzzer entry point for the model-file loader, the Hugging Face config reader (a .json with
// model_type) and the checkpoint readers (safetensors, GGUF):
// every input must end in a model, a listing or a ModelError, without a crash, a hang or unbounded
// memory. Built and run by scripts/fuzz.sh.
import ParamCountCore
import ParamCountFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Through the format registry, so every reader (and the choice between them) is fuzzed; the
    // checkpoint names make the safetensors and GGUF readers take inputs they would not claim by
    // their first bytes.
    for name in ["fuzz.yaml", "fuzz.json", "fuzz.safetensors", "fuzz.gguf"] {
        if let loaded = try? ModelFile.read(bytes, named: name) {
            // A loaded model must count, print and save without trapping.
            if let count = try? Counter.count(loaded.model) {
                let report = Report(loaded, count: count, dtype: .fp32, origin: name)
                _ = report.render(.table)
                // JSON derives every layer's formula, groups and parallels too.
                _ = report.render(.json)
            }
            _ = ModelWriter.text(loaded.model, format: FileFormat(path: name))
        }
    }
    // The checkpoint readers take the same bytes as a whole file; a listing must build its tree.
    if let listing = try? Safetensors.parse(bytes: bytes, file: "fuzz") { _ = ModuleTree.build(listing) }
    if let listing = try? GGUF.parse(bytes: bytes, file: "fuzz") { _ = ModuleTree.build(listing) }
    _ = try? Safetensors.parseIndex(bytes: bytes, file: "fuzz")
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("paramcount_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var args = argv
    return runDriver(&count, &args) { data, size in
        guard let data else { return 0 }
        return fuzzModelFile(data, size)
    }
}
#else
/// Built without libFuzzer (a plain `swift build`): say how to run it instead.
@main
struct FuzzHelp {
    static func main() {
        print("build and run the fuzzer with scripts/fuzz.sh [SECONDS]")
    }
}
#endif
