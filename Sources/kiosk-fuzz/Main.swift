import Foundation

/// The fuzz harness. Built normally (`swift build`), it replays the files
/// it is given through the target named by KIOSK_FUZZ_TARGET: the
/// regression corpus in Tests/FuzzCorpus (`kiosk-fuzz target=config FILES...`). Built by scripts/fuzz with
/// libFuzzer (`-sanitize=fuzzer -DFUZZING`), it fuzzes that target.
@main
struct FuzzMain {
    static var target: String {
        ProcessInfo.processInfo.environment["KIOSK_FUZZ_TARGET"] ?? "content"
    }

    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        #else
        var count = 0
        var target = Self.target
        for path in CommandLine.arguments.dropFirst() {
            if path.hasPrefix("target=") {
                target = String(path.dropFirst("target=".count))
                continue
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let files = isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                FuzzTargets.run(target, Array(data))
                count += 1
            }
        }
        print("kiosk-fuzz \(target): \(count) inputs replayed, no crash")
        #endif
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTargets.run(FuzzMain.target, bytes)
    return 0
}
#endif
