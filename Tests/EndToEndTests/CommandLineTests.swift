import Foundation
import Testing

/// The command line as scripts use it: exit statuses, standard input and output, odd file names.
@Suite("command line")
struct CommandLineTests {
    /// A write error must not pass for success: a full disk, a closed descriptor.
    @Test(arguments: [["count", "preset:example"], ["count", "preset:example", "--format", "json"],
                      ["presets"], ["keys"], ["--help"]])
    func writeErrorsExitOneWithAMessage(_ arguments: [String]) throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let r = try Binary.run(arguments, stdout: full)
        #expect(r.status == 1, "\(arguments)")
        #expect(r.stderr.contains("paramcount: could not write the output: No space left on device"), "\(r.stderr)")
    }

    /// `| head -1`: the reader went away; the output stops without a word, as cat's and grep's do
    /// (ended by SIGPIPE, which a shell reports as exit status 141).
    @Test func aClosedPipeIsQuiet() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        // Larger than a pipe's buffer, so the write cannot succeed before the reader is gone.
        let r = try Binary.run(["count", "preset:resnet50", "preset:vgg16", "preset:bert-base", "--format", "json"],
                               stdout: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        #expect(r.signaled && r.status == SIGPIPE, "status \(r.status), signaled \(r.signaled)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    /// Started with SIGPIPE ignored (some shells and services do that), the write fails with EPIPE
    /// instead; the output still ends quietly and not with a success status.
    @Test func aClosedPipeIsQuietWhenSIGPIPEIsIgnored() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let err = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "trap '' PIPE; exec \"$0\" \"$@\"", Binary.path,
                       "count", "preset:resnet50", "preset:vgg16", "preset:bert-base", "--format", "json"]
        p.standardOutput = pipe.fileHandleForWriting
        p.standardError = err
        try p.run()
        try pipe.fileHandleForWriting.close()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGPIPE,
                "status \(p.terminationStatus), \(p.terminationReason == .exit ? "exited" : "signaled")")
        #expect(message.isEmpty, "\(message)")
    }

    /// `-dash.yaml` read as the short options -d -a -s -h… printed help and exited 0.
    @Test func aDashNameIsAUsageError() throws {
        let path = try Binary.temporaryFile("-dash.yaml", "layers:\n  - kind: custom\n    params: 5\n")
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for args in [["count", "-dash.yaml"], ["-dash.yaml"]] {
            let r = try Binary.run(args, cwd: dir)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("'-dash.yaml'") && r.stderr.contains("./-dash.yaml"), "\(r.stderr)")
        }
        for args in [["count", "./-dash.yaml"], ["count", "--", "-dash.yaml"]] {
            let r = try Binary.run(args, cwd: dir)
            #expect(r.status == 0 && r.stdout.contains("Total params:         5 (5)"), "\(args): \(r.stderr)")
        }
        #expect(try Binary.run(["count", "--help"]).stdout.contains("./-dash.yaml"))
    }

    @Test func countReadsStandardInput() throws {
        let path = try Binary.temporaryFile("m.yaml", "layers:\n  - kind: custom\n    params: 42\n")
        let r = try Binary.run(["count", "-", "--format", "json"], stdin: try FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"total\": 42"))
        let json = try Binary.temporaryFile("m.json", #"{"layers": [{"kind": "custom", "params": 7}]}"#)
        let j = try Binary.run(["count", "-", "--format", "csv"], stdin: try FileHandle(forReadingFrom: URL(fileURLWithPath: json)))
        #expect(j.status == 0 && j.stdout.contains(",7,"), "\(j.stderr)")
        let bad = try Binary.temporaryFile("m.yaml", "layers:\n  - kind: dense\n    out: 0\n")
        let e = try Binary.run(["count", "-"], stdin: try FileHandle(forReadingFrom: URL(fileURLWithPath: bad)))
        #expect(e.status == 1 && e.stderr.contains("standard input:3: layer 1, field 'out'"), "\(e.stderr)")
    }

    /// Every bad file is reported, not only the first, and the good ones are still counted.
    @Test func severalFilesReportEveryBadOne() throws {
        let bad1 = try Binary.temporaryFile("bad1.yaml", "layers:\n  - kind: lstn\n")
        let bad2 = try Binary.temporaryFile("bad2.yaml", "layers: []\n")
        let r = try Binary.run(["count", bad1, "preset:lenet5", bad2, "preset:alexnet"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad1.yaml:2") && r.stderr.contains("bad2.yaml:1"), "\(r.stderr)")
        // torchvision-style LeNet-5 and AlexNet totals, as in CountCommandTests.
        #expect(r.stdout.contains("61,706") && r.stdout.contains("61,100,840"))
        let json = try Binary.run(["count", bad1, "preset:lenet5", "--format", "json"])
        #expect(json.status == 1)
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(obj?["total"] as? Int == 61_706)
    }

    @Test func csvHasAModelColumn() throws {
        let r = try Binary.run(["count", "preset:lenet5", "preset:example", "--format", "csv"])
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("model,index,name,kind,") == true, "\(lines.first ?? "")")
        #expect(lines.contains { $0.hasPrefix("preset:lenet5,1,") })
        #expect(lines.contains { $0.hasPrefix("preset:example,2,encoder,lstm,") })
    }

    /// Neither model has non-trainable parameters: 0/0 has no ratio (it used to print ×1.00).
    @Test func compareShowsNoRatioForZeroOverZero() throws {
        let r = try Binary.run(["count", "preset:lenet5", "preset:alexnet", "--compare"])
        let row = r.stdout.split(separator: "\n").first { $0.hasPrefix("non-trainable") }
        #expect(row?.hasSuffix("—") == true, "\(row ?? "")")
        let csv = try Binary.run(["count", "preset:lenet5", "preset:alexnet", "--compare", "--format", "csv"])
        #expect(csv.stdout.contains("\nnon_trainable,0,0,0,\n"), "\(csv.stdout)")
    }
}
