import Foundation
import LinkageKit

/// Limits an external analysis runs within.
public struct ExternalLimits: Sendable {
    /// Seconds `EXE run` may take (`--timeout`).
    public var timeout: Double
    /// Seconds `EXE describe` may take: it only prints a few lines.
    public var describeTimeout: Double
    /// Bytes the result may have on standard output; past this the program is stopped.
    public var outputLimit: Int

    public static let defaultTimeout: Double = 120
    public static let defaultDescribeTimeout: Double = 10
    public static let defaultOutputLimit = 64 * 1024 * 1024

    public init(timeout: Double = ExternalLimits.defaultTimeout, describeTimeout: Double = ExternalLimits.defaultDescribeTimeout,
                outputLimit: Int = ExternalLimits.defaultOutputLimit) {
        self.timeout = timeout
        self.describeTimeout = describeTimeout
        self.outputLimit = outputLimit
    }
}

/// Why an external analysis failed: one or more problems, each `path.in.json: message` or a
/// sentence. The runner reports each as `analysis-id: problem`.
public struct ExternalAnalysisFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "; ") }
}

/// An analysis program outside the build (any language), run as `EXE run` with the request on
/// its standard input; see ``ExternalProtocol``. To the runner it is an `AnalysisPlugin` like any
/// other: its result is written and drawn exactly as a built-in's.
public struct ExternalAnalysis: AnalysisPlugin {
    public let executable: URL
    public let external: ExternalDescriptor
    public let limits: ExternalLimits
    /// Receives the program's standard error, one line at a time, already prefixed by its id.
    public let errorLine: @Sendable (String) -> Void

    public var descriptor: AnalysisDescriptor { external.descriptor }

    public init(executable: URL, external: ExternalDescriptor, limits: ExternalLimits,
                errorLine: @escaping @Sendable (String) -> Void) {
        self.executable = executable
        self.external = external
        self.limits = limits
        self.errorLine = errorLine
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult {
        let id = descriptor.id
        let request: Data
        do {
            request = try RequestCache.shared.encoder(for: context.graph).request(analysis: descriptor, options: context.options)
        } catch {
            throw ExternalAnalysisFailure(["the request could not be encoded: \(error)"])
        }
        context.progress("running \(SourceLocationPath.display(executable.path))")
        let (executable, limits, errorLine) = (self.executable, self.limits, self.errorLine)
        let outcome = BrokenPipeGuard.withSIGPIPEIgnored {
            ExternalProcess.blocking {
                await ExternalProcess.run(executable, argument: "run", input: request, timeout: limits.timeout,
                                          outputLimit: limits.outputLimit, errorLine: { errorLine("\(id): \($0)") })
            }
        }
        switch outcome.ending {
        case .exited(0):
            break
        case .exited(2):
            // Exit status 2 is the protocol's "the options are wrong"; the last line of standard
            // error says why, optionally as `NAME: message`.
            let line = outcome.lastErrorLine ?? "the options were rejected"
            if let colon = line.firstIndex(of: ":"), descriptor.option(String(line[..<colon])) != nil {
                throw AnalysisOptionError(option: String(line[..<colon]),
                                          String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            throw AnalysisOptionError(option: "options", line)
        case .exited(let status):
            throw ExternalAnalysisFailure(["exited with status \(status) (its standard error is above)"])
        case .signalled(let signal):
            throw ExternalAnalysisFailure(["crashed: killed by signal \(signal)\(Self.signalName(signal))"])
        case .timedOut:
            throw ExternalAnalysisFailure(["did not finish within \(Self.seconds(limits.timeout)) s and was stopped (allow more with --timeout SECONDS)"])
        case .oversize:
            throw ExternalAnalysisFailure(["wrote more than \(limits.outputLimit / (1024 * 1024)) MB on standard output and was stopped; a result is at most that big"])
        case .couldNotStart(let reason):
            throw ExternalAnalysisFailure(["could not be started: \(reason)"])
        }
        if outcome.output.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            throw ExternalAnalysisFailure(["wrote nothing on standard output; expected one result as JSON"])
        }
        let result: AnalysisResult
        do {
            result = try AnalysisResult.decode(outcome.output, graph: context.graph)
        } catch {
            throw ExternalAnalysisFailure([error.description])
        }
        let problems = ResultValidator(graph: context.graph).problems(in: result)
        if !problems.isEmpty {
            let shown = problems.prefix(20).map(\.description)
            throw ExternalAnalysisFailure(shown + (problems.count > 20 ? ["… and \(problems.count - 20) more problems"] : []))
        }
        return result
    }

    static func seconds(_ value: Double) -> String { value.rounded() == value ? String(Int(value)) : String(value) }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: " (SIGSEGV, a memory fault)"
        case SIGABRT: " (SIGABRT, it aborted)"
        case SIGKILL: " (SIGKILL)"
        case SIGTERM: " (SIGTERM)"
        case SIGBUS: " (SIGBUS)"
        case SIGFPE: " (SIGFPE)"
        default: ""
        }
    }
}

/// The request's graph part is the same for every analysis run against one graph: encode it once.
final class RequestCache: @unchecked Sendable {
    static let shared = RequestCache()
    private let lock = NSLock()
    private var cached: (graph: ObjectIdentifier, encoder: AnalysisRequestEncoder)?

    func encoder(for graph: LinkageGraph) throws -> AnalysisRequestEncoder {
        try lock.withLock {
            if let cached, cached.graph == ObjectIdentifier(graph) { return cached.encoder }
            let encoder = try AnalysisRequestEncoder(graph: graph)
            cached = (ObjectIdentifier(graph), encoder)
            return encoder
        }
    }
}

/// A program found among the analyses that could not be used (its `describe` failed, or its id
/// is taken). It stays in the list so that `linkage all` reports it as a failed analysis (exit
/// status 3) instead of skipping it silently.
public struct UnavailableAnalysis: AnalysisPlugin {
    public let executable: URL
    public let problems: [String]
    public let descriptor: AnalysisDescriptor

    public init(executable: URL, id: String? = nil, problems: [String]) {
        self.executable = executable
        self.problems = problems
        let name = executable.lastPathComponent
        let fallbackID = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        descriptor = AnalysisDescriptor(id: id ?? fallbackID, title: SourceLocationPath.display(executable.path),
                                        summary: "Not usable: " + problems.joined(separator: "; "))
    }

    public func run(_ context: AnalysisContext) throws -> AnalysisResult { throw ExternalAnalysisFailure(problems) }
}

/// Finds external analyses: every executable file in the given folders, asked to describe itself.
public enum ExternalAnalysisDiscovery {
    /// Executable regular files (or links to them) of `folders`, in folder order then name
    /// order, each real file once. Hidden files and folders are skipped.
    public static func executables(in folders: [URL]) -> [URL] {
        var seen = Set<String>()
        var found: [URL] = []
        let fm = FileManager.default
        for folder in folders {
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let url = folder.appendingPathComponent(name)
                let real = url.resolvingSymlinksInPath().path
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue,
                      fm.isExecutableFile(atPath: real), seen.insert(real).inserted else { continue }
                found.append(url)
            }
        }
        return found
    }

    /// Describes every executable of `folders` (concurrently). Programs whose description fails
    /// come back as ``UnavailableAnalysis`` values, with the reason.
    public static func discover(in folders: [URL], limits: ExternalLimits = ExternalLimits(),
                                errorLine: @escaping @Sendable (String) -> Void) -> [any AnalysisPlugin] {
        let programs = executables(in: folders)
        guard !programs.isEmpty else { return [] }
        let described = BrokenPipeGuard.withSIGPIPEIgnored {
            ExternalProcess.blocking {
                await withTaskGroup(of: (Int, ExternalProcess.Outcome).self) { group in
                    for (index, program) in programs.enumerated() {
                        group.addTask {
                            let name = program.lastPathComponent
                            let outcome = await ExternalProcess.run(program, argument: "describe", input: Data(), timeout: limits.describeTimeout,
                                                                    outputLimit: 1024 * 1024, errorLine: { errorLine("\(name): \($0)") })
                            return (index, outcome)
                        }
                    }
                    var outcomes = [(Int, ExternalProcess.Outcome)]()
                    for await outcome in group { outcomes.append(outcome) }
                    return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
                }
            }
        }
        return zip(programs, described).map { program, outcome -> any AnalysisPlugin in
            func unavailable(_ problem: String) -> any AnalysisPlugin {
                UnavailableAnalysis(executable: program, problems: ["describe: \(problem)"])
            }
            switch outcome.ending {
            case .exited(0): break
            case .exited(let status): return unavailable("exited with status \(status)")
            case .signalled(let signal): return unavailable("crashed: killed by signal \(signal)\(ExternalAnalysis.signalName(signal))")
            case .timedOut: return unavailable("did not answer within \(ExternalAnalysis.seconds(limits.describeTimeout)) s")
            case .oversize: return unavailable("wrote more than 1 MB")
            case .couldNotStart(let reason): return unavailable("could not be started: \(reason)")
            }
            do {
                let external = try ExternalDescriptor.decode(outcome.output)
                return ExternalAnalysis(executable: program, external: external, limits: limits, errorLine: errorLine)
            } catch {
                return unavailable("\(error)")
            }
        }
    }

    /// Built-in analyses first, then external ones; an external analysis whose id is already
    /// taken becomes unavailable (built-ins win, then the folder listed first).
    public static func combine(builtIn: [any AnalysisPlugin], external: [any AnalysisPlugin]) -> [any AnalysisPlugin] {
        var taken: [String: String] = [:]
        for plugin in builtIn { taken[plugin.descriptor.id] = "the built-in analysis" }
        var result = builtIn
        for plugin in external {
            let id = plugin.descriptor.id
            if let owner = taken[id], let program = plugin as? ExternalAnalysis {
                result.append(UnavailableAnalysis(executable: program.executable, id: id,
                                                  problems: ["its id '\(id)' is already used by \(owner); rename it in its descriptor"]))
                continue
            }
            if let program = plugin as? ExternalAnalysis { taken[id] = SourceLocationPath.display(program.executable.path) }
            result.append(plugin)
        }
        return result
    }
}
