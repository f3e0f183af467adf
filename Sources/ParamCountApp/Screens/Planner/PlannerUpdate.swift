import ParamCountCore

/// The planner's commands: moving between settings, changing them (cycling, or typing a number),
/// scrolling the figures, and leaving.
extension AppState {
    /// True when the command was the planner's.
    mutating func runPlanner(_ command: Command) -> Bool {
        if command == .togglePlanner {
            togglePlanner()
            planner.typing = nil
            clampPlannerScroll()
            keepSelectionVisible()
            return true
        }
        guard case .planner = screen else { return false }
        if planner.typing != nil { return runPlannerTyping(command) }
        let rows = PlannerRow.allCases
        switch command {
        case .up: planner.row = rows[max(0, planner.row.rawValue - 1)]
        case .down: planner.row = rows[min(rows.count - 1, planner.row.rawValue + 1)]
        case .top: planner.row = rows[0]
        case .bottom: planner.row = rows[rows.count - 1]
        case .edit:
            if let n = planner.row.number(planner.settings) {
                planner.typing = String(n)
                cursorBack = 0
            } else {
                stepPlannerSetting(by: 1)
            }
        case .nextValue: stepPlannerSetting(by: 1)
        case .previousValue: stepPlannerSetting(by: -1)
        case .derivationUp: scrollPlanner(-max(1, plannerPanel(side: active).rows - 1))
        case .derivationDown: scrollPlanner(max(1, plannerPanel(side: active).rows - 1))
        default: break     // the layer list's and form's keys do nothing here
        }
        return true
    }

    /// A printable key no binding claims: a digit starts typing a number on a number row.
    mutating func plannerTyped(_ ch: Character) {
        if var text = planner.typing {
            TextEntry.insert(ch, text: &text, back: cursorBack)
            planner.typing = text
        } else if planner.row.isNumber && ch.isNumber {
            planner.typing = String(ch)
            cursorBack = 0
        } else {
            return
        }
        sayTypingError()
    }

    private mutating func runPlannerTyping(_ command: Command) -> Bool {
        guard var text = planner.typing else { return false }
        var back = cursorBack
        if TextEntry.apply(command, text: &text, back: &back) {
            planner.typing = text
            cursorBack = back
            sayTypingError()
            return true
        }
        switch command {
        case .cancel: planner.typing = nil
        case .commit:
            switch planner.typed {
            case .success(let n)?:
                planner.settings = planner.row.setting(planner.settings, to: n)
                planner.typing = nil
                clampPlannerScroll()
            case .failure(let error)?:
                message = StatusMessage(kind: .error, text: error.message + " (Esc cancels)")
            case nil: break
            }
        default: break
        }
        return true
    }

    /// The typed number's problem, shown while it lasts (a message lasts one key).
    private mutating func sayTypingError() {
        if let error = planner.typingError { message = StatusMessage(kind: .error, text: error) }
    }

    private mutating func stepPlannerSetting(by delta: Int) {
        var s = plannerSettings(side: active)
        if planner.row == .weights {
            // The weight type is the documents' own, the one `t` cycles: both sides follow. A
            // checkpoint's weights can also be planned as stored, first of the choices.
            let types = DType.allCases
            let choices = document.checkpoint == nil ? types.count : types.count + 1
            let current = document.checkpoint == nil ? types.firstIndex(of: s.weights)!
                : s.asStored ? 0 : 1 + types.firstIndex(of: s.weights)!
            let next = ((current + delta) % choices + choices) % choices
            let stored = document.checkpoint != nil && next == 0
            let type = types[document.checkpoint == nil ? next : max(0, next - 1)]
            if !stored { for side in documents.indices { update(side: side) { $0.dtype = type } } }
            planner.settings.asStored = stored || document.checkpoint == nil && planner.settings.asStored
        } else {
            s = planner.row.stepped(s, by: delta)
            s.asStored = planner.settings.asStored
            planner.settings = s
        }
        clampPlannerScroll()
    }

    private mutating func scrollPlanner(_ delta: Int) {
        planner.scroll = max(0, min(plannerPanel(side: active).maxScroll, planner.scroll + delta))
    }

    mutating func clampPlannerScroll() { scrollPlanner(0) }

    public var plannerLayout: PlannerLayout { PlannerLayout(width: width, height: height) }

    /// The settings one side is planned with: the planner's, with that side's weight type (and its
    /// weights as stored only when it came from a checkpoint).
    func plannerSettings(side: Int) -> PlanSettings {
        var s = planner.shown
        s.weights = documents[side].dtype
        s.asStored = s.asStored && documents[side].checkpoint != nil
        return s
    }

    /// One side's plan under the settings shown.
    func plan(side: Int) -> Result<Plan, ModelError> {
        let doc = documents[side]
        do {
            return .success(try Planner.plan(doc.model, count: doc.count, settings: plannerSettings(side: side),
                                             stored: doc.checkpoint?.storedWeights))
        } catch {
            return .failure(error)
        }
    }

    /// The figures panel of the current size, worked out the same way for drawing and scrolling.
    func plannerPanel(side: Int) -> PlannerPanel {
        let l = plannerLayout
        let plans = documents.indices.map { plan(side: $0) }
        return PlannerPanel(plans: plans, active: side, width: l.figuresWidth - 4, rows: max(0, l.paneHeight - 2))
    }
}
