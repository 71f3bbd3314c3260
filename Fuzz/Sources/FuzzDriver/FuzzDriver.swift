#if canImport(Glibc)
import Glibc
#endif

// SwiftPM gives every executable a main of its own, so libFuzzer's main cannot be used; its
// driver is called instead (libFuzzer's documented entry for programs with their own main).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer with the command line's options, calling `target` with every input, and exits
/// with libFuzzer's status. `target` is a C function pointer: it captures nothing.
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = Optional(CommandLine.unsafeArgv)
    exit(runFuzzerDriver(&argc, &argv, target))
}
