// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "conduct-kiosk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kiosk", targets: ["kiosk"]),
        .executable(name: "kiosk-bench", targets: ["kiosk-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // ncursesw, the wide-character build (Debian: libncursesw5-dev).
        // No pkgConfig: SwiftPM would drop its -D_XOPEN_SOURCE with a warning;
        // the shim defines what the header needs instead.
        .systemLibrary(name: "CNcursesw"),
        // Pure: policy documents, kiosk.conf, lint.
        .target(
            name: "KioskContent",
            dependencies: [
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2 for the admin PIN (BoringSSL's).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Pure: the kiosk's state machine and renderer.
        .target(name: "KioskUI", dependencies: ["KioskContent"]),
        // Records: canonical JSON, Ed25519, minisign files, chain, verify.
        .target(
            name: "KioskStore",
            dependencies: [
                "KioskContent",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The thin ncurses adapter.
        .target(name: "KioskTerminal", dependencies: ["CNcursesw", "KioskUI"]),
        // The run loop: draws, saves, reloads the PIN; any terminal, any clock.
        .target(
            name: "KioskRuntime",
            dependencies: [
                "KioskContent", "KioskUI", "KioskStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kiosk",
            dependencies: [
                "CNcursesw",
                "KioskContent", "KioskUI", "KioskStore", "KioskTerminal", "KioskRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks against named references (openssl, dialog, a bare
        // durable write), and the writer the crash test kills.
        // Fuzz harness: replays a corpus in a normal build; fuzzes under libFuzzer in scripts/fuzz.
        .executableTarget(name: "kiosk-fuzz", dependencies: ["KioskContent", "KioskStore", "KioskUI"]),
        // Running other programs (openssl, dialog, minisign, tmux), for the
        // benchmarks and the tests.
        .target(name: "ChildProcess"),
        .executableTarget(
            name: "kiosk-bench",
            dependencies: [
                "ChildProcess", "KioskContent", "KioskRuntime", "KioskStore", "KioskUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Scratch folders and running programs, shared by the test targets.
        .target(name: "KioskTestSupport", dependencies: ["ChildProcess", "KioskStore"], path: "Tests/KioskTestSupport"),
        .testTarget(name: "KioskContentTests", dependencies: ["KioskContent", "KioskTestSupport"]),
        .testTarget(name: "KioskUITests", dependencies: ["KioskUI", "KioskContent"]),
        .testTarget(name: "KioskStoreTests", dependencies: ["KioskStore", "KioskContent", "KioskTestSupport"]),
        .testTarget(name: "KioskTerminalTests", dependencies: ["KioskTerminal", "KioskTestSupport"]),
        .testTarget(name: "KioskRuntimeTests", dependencies: ["KioskRuntime", "KioskStore", "KioskContent", "KioskUI", "KioskTestSupport"]),
        .testTarget(name: "KioskEndToEndTests", dependencies: ["kiosk", "kiosk-bench", "kiosk-fuzz", "KioskStore", "KioskContent", "KioskTestSupport"]),
    ]
)
