import ParamCountCore

/// Commands that open, close and steer the second model.
extension AppState {
    /// True when the command was a comparison command.
    mutating func runCompare(_ command: Command) -> Bool {
        switch command {
        case .compareWith:
            if comparing && documents[1].isModified {
                message = StatusMessage(kind: .error, text: "Side B has unsaved changes: switch to it (\(KeyMap.label(for: .switchSide))) and save or undo first")
            } else {
                mode = .prompt(.compare, text: "")
            }
        case .compareConventions:
            guard !comparing else {
                message = StatusMessage(kind: .info, text: "Already comparing: \(KeyMap.label(for: .closeCompare)) closes the other side first")
                return true
            }
            var model = document.model
            model.convention = model.convention.next
            if var doc = try? Document(model: model, path: nil, origin: document.origin + " as " + model.convention.rawValue) {
                doc.dtype = document.dtype
                doc.adoptFolds(of: document)
                openSideB(doc)
                message = StatusMessage(kind: .info, text: "B is the same model under \(model.convention.rawValue); \(KeyMap.label(for: .cycleConvention)) on a side changes its convention")
            }
            keepSelectionVisible()
        case .closeCompare:
            guard comparing else { return true }
            let other = 1 - active
            if documents[other].isModified {
                message = StatusMessage(kind: .error, text: "Side \(other == 0 ? "A" : "B") has unsaved changes: switch to it (\(KeyMap.label(for: .switchSide))) and save or undo first")
                return true
            }
            closeOtherSide()
            keepSelectionVisible()
        case .switchSide:
            guard comparing else { return true }
            active = 1 - active
            updateClassroom { $0.revealed = 1 }
            derivationScroll = 0
            keepSelectionVisible()
        case .swapSides:
            swapSides()
        default: return false
        }
        return true
    }

    /// The two sides' visible rows, paired by their layers' name paths (`layers/self_attn`) where
    /// they match, so a design and its variant line up block by block.
    public var alignment: [AlignedRow] {
        guard comparing else { return [] }
        func keys(_ d: Document) -> [(name: String?, kind: LayerKind)] {
            d.rows.map { row in
                let layer = d.model.layer(at: row.path)
                return (layer?.name == nil ? nil : d.model.namePath(at: row.path), layer?.kind ?? .custom)
            }
        }
        return Alignment.align(keys(documents[0]), keys(documents[1]))
    }

    /// Categories with parameters on either side, in the fixed order.
    public var comparedCategories: [Category] {
        guard comparing else { return [] }
        return Category.allCases.filter { documents[0].count.total(of: $0) > 0 || documents[1].count.total(of: $0) > 0 }
    }

    public var compareLayout: CompareLayout {
        CompareLayout(width: width, height: height, categories: comparedCategories.count)
    }

    mutating func keepCompareSelectionVisible() {
        let rows = max(1, compareLayout.listRows)
        let aligned = alignment
        let side = active
        let row = aligned.firstIndex { (side == 0 ? $0.a : $0.b) == document.selection } ?? 0
        if row < compareScroll { compareScroll = row }
        if row >= compareScroll + rows { compareScroll = row - rows + 1 }
        compareScroll = max(0, min(compareScroll, max(0, aligned.count - rows)))
    }
}
