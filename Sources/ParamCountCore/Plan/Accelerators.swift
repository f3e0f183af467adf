/// A card (or a machine with unified memory) and how much memory it has.
public struct Accelerator: Sendable, Equatable {
    public let name: String
    /// The memory as the vendor states it, read as GiB (2^30 bytes): memory chips come in powers of
    /// two. What a program can allocate is somewhat less: the driver, ECC and the CUDA context or
    /// the operating system keep part of it.
    public let gib: Int
    /// What to know before trusting the ✓, when there is something.
    public let note: String?

    public var bytes: Int { gib << 30 }
}

/// The accelerators the planner checks a plan against: the one table to edit to add a card.
/// Ordered from the most memory to the least, as the "fits on" list shows them.
public enum Accelerators {
    static let unified = "M-series: unified memory, shared with the system; macOS lets the GPU use about 2/3 to 3/4 of it by default"

    public static let all: [Accelerator] = [
        Accelerator(name: "MI300X 192 GB", gib: 192, note: nil),
        Accelerator(name: "H200 141 GB", gib: 141, note: nil),
        Accelerator(name: "M-series 128 GB", gib: 128, note: unified),
        Accelerator(name: "H100 80 GB", gib: 80, note: nil),
        Accelerator(name: "A100 80 GB", gib: 80, note: nil),
        Accelerator(name: "M-series 64 GB", gib: 64, note: unified),
        Accelerator(name: "L40S 48 GB", gib: 48, note: nil),
        Accelerator(name: "A100 40 GB", gib: 40, note: nil),
        Accelerator(name: "RTX 5090 32 GB", gib: 32, note: nil),
        Accelerator(name: "M-series 32 GB", gib: 32, note: unified),
        Accelerator(name: "L4 24 GB", gib: 24, note: nil),
        Accelerator(name: "A10 24 GB", gib: 24, note: nil),
        Accelerator(name: "RTX 4090 24 GB", gib: 24, note: nil),
        Accelerator(name: "RTX 3090 24 GB", gib: 24, note: nil),
        Accelerator(name: "T4 16 GB", gib: 16, note: nil),
        Accelerator(name: "M-series 16 GB", gib: 16, note: unified),
    ]
}

/// Whether a plan's memory fits on one accelerator, and by how much.
public struct Fit: Sendable, Equatable {
    public let accelerator: Accelerator
    /// Bytes the plan needs.
    public let needed: Int
    /// Memory left over (negative: short by that much).
    public var headroom: Int { accelerator.bytes - needed }
    public var fits: Bool { headroom >= 0 }
}
