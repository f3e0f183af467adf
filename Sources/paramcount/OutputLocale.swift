import Foundation
import ParamCountCore
import ParamCountFiles

/// Whether the user's locale can show UTF-8. Under LANG=C a `×` in a table would reach the
/// terminal as raw bytes, so text for people (table, markdown) is folded to ASCII there; JSON and
/// CSV stay UTF-8, as the formats require.
enum OutputLocale {
    static let isUTF8: Bool = {
        setlocale(LC_CTYPE, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        return String(cString: codeset).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }()

    /// Renders text for people under the locale: measured and written as ASCII when needed.
    static func render(_ format: ReportFormat, _ make: () -> String) -> String {
        guard !isUTF8, format == .table || format == .markdown else { return make() }
        return DisplayWidth.$ascii.withValue(true) { ASCIIText.fold(make()) }
    }
}
