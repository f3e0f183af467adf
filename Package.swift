// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "paramcount",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "paramcount", targets: ["paramcount"]),
        .library(name: "ParamCountCore", targets: ["ParamCountCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Pure counting: layer kinds, conventions, widths, checked arithmetic, derivations.
        .target(name: "ParamCountCore", dependencies: ["CDisplayWidth"]),
        // wcwidth() under a UTF-8 locale: the width ncurses gives each cell.
        .target(name: "CDisplayWidth"),
        // Model files (YAML/JSON), presets and their limits.
        .target(name: "ParamCountFiles", dependencies: ["ParamCountCore", "Yams"]),
        // State, actions, reducer, key table and the renderer into a cell grid. No ncurses here.
        .target(name: "ParamCountApp", dependencies: ["ParamCountCore", "ParamCountFiles"]),
        // The only code that touches the terminal. ncursesw (Debian/Ubuntu: libncurses-dev) from the
        // system's standard paths: its pkg-config file only adds -D feature macros, which SwiftPM
        // refuses with a warning on every build; the shim header defines what is needed instead.
        .systemLibrary(name: "CNcurses"),
        .target(name: "ParamCountTerminal", dependencies: ["ParamCountApp", "CNcurses"]),
        .executableTarget(name: "paramcount", dependencies: [
            "ParamCountCore", "ParamCountFiles", "ParamCountApp", "ParamCountTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Budgets live here, not in timed tests: swift run -c release paramcount-bench
        .executableTarget(name: "paramcount-bench", dependencies: ["ParamCountCore", "ParamCountFiles", "ParamCountApp"],
                          path: "Benchmarks/Sources"),
        // libFuzzer target for the loader: scripts/fuzz.sh builds it with -sanitize=fuzzer.
        .executableTarget(name: "paramcount-fuzz", dependencies: ["ParamCountCore", "ParamCountFiles"],
                          path: "Fuzz/Sources"),
        // Helpers shared by the test targets.
        .target(name: "TestSupport", dependencies: ["ParamCountApp", "ParamCountFiles", "ParamCountCore"],
                path: "Tests/TestSupport"),
        .testTarget(name: "ParamCountCoreTests", dependencies: ["ParamCountCore"]),
        .testTarget(name: "ParamCountFilesTests", dependencies: ["ParamCountCore", "ParamCountFiles", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ParamCountAppTests", dependencies: ["ParamCountApp", "ParamCountCore", "ParamCountFiles", "TestSupport"],
                    exclude: ["Golden"]),
        // Drives the built binary; TestSupport only writes the checkpoints it opens.
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ]
)
