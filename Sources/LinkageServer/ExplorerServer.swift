import Foundation
import Hummingbird
import LinkageKit
import LinkageRegistry
import Logging
import NIOCore

/// `linkage serve`: the explorer on Hummingbird 2.
///
/// Hummingbird 2.28.1 (the newest in the package mirror) over SwiftNIO: async handlers, a router,
/// and graceful shutdown on SIGINT/SIGTERM through swift-service-lifecycle. It is small and made
/// for exactly this (Vapor would bring an ORM-shaped framework and twice the build time to a
/// local, read-only explorer). Every route is a GET handled by `Explorer`; this type only binds,
/// logs and turns `Answer`s into responses with safe headers.
public enum ExplorerServer {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var datasets: URL
        /// One line per request on standard error.
        public var accessLog: Bool
        /// How often the datasets folder is checked for changes besides the kernel's notices (a
        /// safety net for file systems that send none).
        public var pollInterval: Duration
        /// The analyses /analyses lists and /analysis/ID runs: the built-in ones, then external
        /// programs found the way `linkage run` finds them (`--analyses`, `$LINKAGE_ANALYSES`,
        /// analyses/ beside the datasets), each with the CLI's limits.
        public var analyses: [any AnalysisPlugin]

        public init(host: String = "127.0.0.1", port: Int = 8080, datasets: URL, accessLog: Bool = true,
                    pollInterval: Duration = .seconds(2), analyses: [any AnalysisPlugin] = registeredAnalyses) {
            self.host = host
            self.port = port
            self.datasets = datasets
            self.accessLog = accessLog
            self.pollInterval = pollInterval
            self.analyses = analyses
        }
    }

    /// Loads the datasets (throws `DataErrors` when they have errors), serves until SIGINT or
    /// SIGTERM (or the task is cancelled), and calls `onReady` with the address once listening.
    /// `diagrams` is the render queue and cache (tests pass their own to count renders).
    public static func run(_ configuration: Configuration, diagrams: DiagramService = DiagramService(),
                           onReady: @escaping @Sendable (URL) -> Void = { _ in }) async throws {
        let store = try GraphStore(root: configuration.datasets)
        let explorer = Explorer(store: store, diagrams: diagrams, analyses: configuration.analyses)
        let router = Router()
        if configuration.accessLog { router.add(middleware: AccessLog()) }
        router.get("/**") { request, _ -> Response in
            response(await explorer.answer(path: request.uri.path, rawQuery: request.uri.query))
        }
        router.get("/") { request, _ -> Response in
            response(await explorer.answer(path: "/", rawQuery: request.uri.query))
        }
        var logger = Logger(label: "linkage.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "linkage"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                onReady(URL(string: "http://\(host):\(port)/")!)
            },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.watch(every: configuration.pollInterval) }
            group.addTask { try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
            // The server ends first (a signal or cancellation); the watcher follows.
            try await group.next()
            group.cancelAll()
        }
    }

    static func response(_ answer: Answer) -> Response {
        var headers: HTTPFields = [
            .contentType: answer.contentType,
            // No script runs on these pages, none is needed: data that got past escaping could
            // still run nothing. Styles come from /assets only; SVG diagrams are inline.
            .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-cache",
        ]
        if answer.contentType.hasPrefix("image/svg") {
            // An SVG opened on its own is a document: it gets no scripts either.
            headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: ResponseBody(byteBuffer: answer.body))
    }
}

/// One line per request on standard error: method, path, status, milliseconds. The path is the
/// client's text: made inert (InertText) so it cannot drive the terminal.
struct AccessLog<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let line = "\(request.method) \(request.uri.description) \(response.status.code) \(String(format: "%.1f", ms)) ms\n"
        FileHandle.standardError.write(Data(InertText.visible(line.dropLast() + "").appending("\n").utf8))
        return response
    }
}
