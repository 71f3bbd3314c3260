import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one external program to completion within limits, and never lets it take the host down.
///
/// Built on swift-subprocess rather than Foundation's `Process` because it gives what isolation
/// needs and `Process` does not: standard input, output and error served concurrently by
/// non-blocking I/O (no pipe deadlock however much or little the program reads or writes), the
/// program started in a session of its own (so a timeout kills it and everything it started,
/// not just the first process), and output read as it arrives (so a program that writes 100 MB
/// is stopped at the limit instead of filling memory).
enum ExternalProcess {
    struct Outcome: Sendable {
        enum Ending: Sendable, Equatable {
            case exited(Int32)
            case signalled(Int32)
            case timedOut
            /// Standard output went past the limit; the program was killed.
            case oversize
            case couldNotStart(String)
        }

        var ending: Ending
        var output: Data
        /// The last line the program wrote on standard error (for usage errors).
        var lastErrorLine: String?
    }

    /// Runs `executable argument` with `input` on standard input. Standard error is passed,
    /// line by line and with control characters removed, to `errorLine`.
    static func run(_ executable: URL, argument: String, input: Data, timeout: Double, outputLimit: Int,
                    errorLine: @escaping @Sendable (String) -> Void) async -> Outcome {
        let processID = ProcessIDBox()
        let work = Task {
            await execute(executable, argument: argument, input: input, outputLimit: outputLimit, errorLine: errorLine,
                          processID: processID)
        }
        if let outcome = await first(of: work, within: timeout) { return outcome }
        // The time is up: kill the program's whole group, then give the reading a moment to end.
        // A process that left the program's session may still hold the pipes open; the host
        // does not wait for it.
        processID.killGroup()
        work.cancel()
        _ = await first(of: work, within: 5)
        return Outcome(ending: .timedOut, output: Data(), lastErrorLine: nil)
    }

    /// The value of `work` if it finishes within `seconds`, else nil (the work goes on).
    static func first(of work: Task<Outcome, Never>, within seconds: Double) async -> Outcome? {
        let gate = ResumeOnce()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome?, Never>) in
            gate.set(continuation)
            Task { gate.resume(await work.value) }
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                gate.resume(nil)
            }
        }
    }

    static func execute(_ executable: URL, argument: String, input: Data, outputLimit: Int,
                        errorLine: @escaping @Sendable (String) -> Void, processID: ProcessIDBox) async -> Outcome {
        let options: PlatformOptions = {
            var options = PlatformOptions()
            // A session (and process group) of its own: signals reach whatever the program started.
            options.createSession = true
            options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))]
            return options
        }()
        do {
            let execution = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: [argument], environment: .inherit,
                platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
            ) { execution -> (Data, Bool, String?) in
                processID.set(execution.processIdentifier.value)
                async let written: Void = {
                    // A program may exit without reading its request: the broken pipe that
                    // follows is not an error of the host.
                    _ = try? await execution.standardInputWriter.write(input)
                    try? await execution.standardInputWriter.finish()
                }()
                async let lastLine: String? = {
                    var splitter = ErrorLineSplitter(emit: errorLine)
                    do {
                        for try await buffer in execution.standardError {
                            buffer.withUnsafeBytes { splitter.append($0) }
                        }
                    } catch {}
                    splitter.finish()
                    return splitter.lastLine
                }()
                // Read as it arrives, and stop the program as soon as it passes the limit.
                var output = Data()
                var oversize = false
                do {
                    for try await buffer in execution.standardOutput {
                        if output.count + buffer.count > outputLimit {
                            oversize = true
                            processID.killGroup()
                            break
                        }
                        buffer.withUnsafeBytes { output.append(contentsOf: $0) }
                    }
                } catch {}
                await written
                return (output, oversize, await lastLine)
            }
            let (output, oversize, lastLine) = execution.closureResult
            if oversize { return Outcome(ending: .oversize, output: Data(), lastErrorLine: lastLine) }
            switch execution.terminationStatus {
            case .exited(let code): return Outcome(ending: .exited(code), output: output, lastErrorLine: lastLine)
            case .signaled(let signal): return Outcome(ending: .signalled(signal), output: output, lastErrorLine: lastLine)
            }
        } catch {
            return Outcome(ending: .couldNotStart("\(error)"), output: Data(), lastErrorLine: nil)
        }
    }

    /// Runs an async operation to completion from synchronous code (analyses are synchronous),
    /// blocking the calling thread.
    static func blocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await operation()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: T?
}

/// Resumes a continuation once, with whichever value comes first.
final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<ExternalProcess.Outcome?, Never>?
    private var pending: ExternalProcess.Outcome??

    func set(_ continuation: CheckedContinuation<ExternalProcess.Outcome?, Never>) {
        lock.withLock {
            if let pending { continuation.resume(returning: pending) } else { self.continuation = continuation }
        }
    }

    func resume(_ value: ExternalProcess.Outcome?) {
        lock.withLock {
            if let continuation {
                continuation.resume(returning: value)
                self.continuation = nil
                pending = .some(value)
            } else if pending == nil {
                pending = .some(value)
            }
        }
    }
}

/// The program's process id, known once it has started; killing its group kills everything it
/// started (it leads a session of its own).
final class ProcessIDBox: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t?

    func set(_ value: pid_t) { lock.withLock { pid = value } }

    func killGroup() {
        lock.withLock {
            if let pid, pid > 0 { _ = kill(-pid, SIGKILL) }
        }
    }
}

/// Cuts standard error into lines for the console: control characters (terminal escapes) are
/// replaced, long lines shortened, and after many lines the rest is only counted.
struct ErrorLineSplitter {
    static let maximumLineLength = 2_000
    static let maximumLines = 200

    let emit: (String) -> Void
    private var pending: [UInt8] = []
    private var lines = 0
    private var dropped = 0
    private(set) var lastLine: String?

    init(emit: @escaping (String) -> Void) { self.emit = emit }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if byte == 0x0A {
                flush()
            } else if pending.count < Self.maximumLineLength * 4 {
                pending.append(byte)
            }
        }
    }

    mutating func finish() {
        if !pending.isEmpty { flush() }
        if dropped > 0 { emit("… \(dropped) more line\(dropped == 1 ? "" : "s") of standard error not shown") }
    }

    private mutating func flush() {
        var text = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        if text.hasSuffix("\r") { text.removeLast() }
        text = Self.printable(text)
        if text.count > Self.maximumLineLength { text = String(text.prefix(Self.maximumLineLength)) + "…" }
        lastLine = text
        if lines < Self.maximumLines {
            lines += 1
            emit(text)
        } else {
            dropped += 1
        }
    }

    /// Control characters (C0 but tab, DEL, C1) become U+FFFD: a program cannot move the
    /// cursor, recolour or retitle the user's terminal through the host.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            let value = scalar.value
            return (value < 0x20 && value != 0x09) || (0x7F...0x9F).contains(value) ? "\u{FFFD}" : scalar
        }))
    }
}

/// SIGPIPE is ignored while external programs run, so that writing a request to a program that
/// exited without reading it fails with an error instead of killing the host; the previous
/// disposition comes back afterwards (a `linkage export | head` still ends quietly).
enum BrokenPipeGuard {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var previous: sighandler_t?

    static func withSIGPIPEIgnored<T>(_ body: () throws -> T) rethrows -> T {
        lock.withLock {
            if depth == 0 { previous = signal(SIGPIPE, SIG_IGN) }
            depth += 1
        }
        defer {
            lock.withLock {
                depth -= 1
                if depth == 0, let previous { signal(SIGPIPE, previous) }
            }
        }
        return try body()
    }
}
