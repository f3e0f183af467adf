import ParamCountCore

/// Where things go on the planner: the settings and the accelerators on the left, the figures on
/// the right, the totals bar and the hints at the bottom as on the editor.
public struct PlannerLayout: Equatable, Sendable {
    public let width: Int
    public let height: Int

    public var paneTop: Int { 1 }
    public var paneHeight: Int { height - 3 }
    /// Room for "mixed precision  SGD momentum" and a border.
    public var leftWidth: Int { max(32, min(40, width * 34 / 100)) }
    public var settingsHeight: Int { fitsHeight == 0 ? paneHeight : min(paneHeight, PlannerRow.allCases.count + 2) }
    public var settingsRows: Int { max(0, settingsHeight - 2) }
    /// The accelerators get what is left under the settings, when a row of them fits.
    public var fitsTop: Int { paneTop + settingsHeight }
    public var fitsHeight: Int {
        let left = paneHeight - PlannerRow.allCases.count - 2
        return left >= 3 ? left : 0
    }
    public var fitsRows: Int { max(0, fitsHeight - 2) }
    public var figuresLeft: Int { leftWidth }
    public var figuresWidth: Int { width - leftWidth }
    public var totalsRow: Int { height - 2 }
}
