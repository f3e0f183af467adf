import Foundation
import Testing

/// Issue 13, bugs 7 and 8: the count command's table under LANG=C, and with wide names.
@Suite("count output and the locale")
struct LocaleTests {
    @Test func aCLocaleGetsOnlyASCII() throws {
        let r = try Binary.run(["count", "preset:example", "preset:bert-base"], env: ["LANG": "C", "LC_ALL": "C"])
        #expect(r.status == 0)
        #expect(r.stdout.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(r.stdout.contains("10000x128") && r.stdout.contains("128->256"))
    }

    @Test func jsonStaysUTF8UnderACLocale() throws {
        let r = try Binary.run(["count", "preset:example", "--format", "json"], env: ["LANG": "C", "LC_ALL": "C"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("×"))
    }

    @Test func wideNamesKeepTheColumnsAligned() throws {
        let path = try Binary.temporaryFile("wide.yaml", """
            layers:
              - kind: dense
                name: "字字字"
                in: 4
                out: 4
              - kind: dense
                name: abcdef
                out: 2
            """)
        let r = try Binary.run(["count", path], env: ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("1 ") || $0.hasPrefix("2 ") }
        #expect(rows.count == 2)
        // The kind column starts at the same terminal column on both rows: 字 takes two columns.
        func kindColumn(_ row: Substring) -> Int {
            guard let r = row.range(of: "dense") else { return -1 }
            return row[..<r.lowerBound].reduce(0) { $0 + ($1.unicodeScalars.first!.value >= 0x1100 ? 2 : 1) }
        }
        #expect(kindColumn(rows[0]) == kindColumn(rows[1]))
        #expect(kindColumn(rows[0]) > 0)
    }
}

@Suite("count --compare --dtype")
struct CompareMemoryTests {
    /// Issue 13 rough edge: `--compare --dtype` printed no memory row.
    @Test func compareWithADtypePrintsTheWeightsSize() throws {
        let r = try Binary.run(["count", "preset:example", "preset:lenet5", "--compare", "--dtype", "fp16", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let w = obj["weights_bytes"] as! [String: Any]
        // 2 bytes per parameter in fp16: 1,690,818 × 2 and 61,706 × 2.
        #expect(w["dtype"] as? String == "fp16")
        #expect(w["a"] as? Int == 3_381_636 && w["b"] as? Int == 123_412)
        let table = try Binary.run(["count", "preset:example", "preset:lenet5", "--compare", "--dtype", "fp16"])
        #expect(table.stdout.contains("weights (fp16)"))
    }
}
