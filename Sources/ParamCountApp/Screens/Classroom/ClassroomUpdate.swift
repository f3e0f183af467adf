import ParamCountCore

/// Classroom mode: on and off, its theme, and the step-by-step reveal.
extension AppState {
    /// True when the command was a classroom command.
    mutating func runClassroom(_ command: Command) -> Bool {
        switch command {
        case .toggleClassroom:
            toggleClassroom()
            keepSelectionVisible()
        case .toggleLight: updateClassroom { $0.light.toggle() }
        case .nextStep:
            let most = stepCount
            updateClassroom { $0.revealed = min($0.revealed + 1, most) }
            derivationScroll = 0       // the newest step comes into view
        case .previousStep:
            updateClassroom { $0.revealed = max(1, $0.revealed - 1) }
            clampDerivationScroll()
        case .revealAll:
            let most = stepCount
            updateClassroom { $0.revealed = most }
            derivationScroll = 0
        default: return false
        }
        return true
    }

    /// Lines of the step-by-step derivation of the selected layer.
    var stepCount: Int {
        guard let layer = shownLayer else { return 1 }
        return (try? Counter.derivation(of: layer, previousOutput: selectedReceived, shape: selectedShape,
                                        convention: document.model.convention).steps.count) ?? 1
    }

    public var classroomLayout: ClassroomLayout {
        // With two models each total gets half the width.
        let widest = comparing ? max(documents[0].count.total, documents[1].count.total, shownCount.total) : shownCount.total
        let digits = BigDigits.width(Format.grouped(widest))
        let room = comparing ? width / 2 : width
        return ClassroomLayout(width: width, height: height, bigDigits: height >= 22 && digits + 4 <= room)
    }
}
