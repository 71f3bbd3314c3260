import ArgumentParser
import Foundation
import LinkageKit

/// `linkage`: the command line. Commands parse arguments, call the kit, the host and the
/// renderer, and print; they hold no analysis logic.
public struct Linkage: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "linkage",
        abstract: "Linkage analysis workbench for ITU-D plans: SDGs, WSIS action lines, resolutions, risks.",
        discussion: """
            Curated, cited datasets (datasets/) load into one typed graph; analyses run against \
            it and write reports (Markdown, CSV, JSON) and diagrams (Graphviz: SVG, PNG, PDF, DOT).

            A typical session:
              linkage validate                      check the datasets (file:line:col errors)
              linkage datasets                      what is loaded
              linkage search broadband              find nodes by id, label (Chinese too) or attribute
              linkage list --dataset kap-2023-2027  the nodes of a dataset (or --kind KIND)
              linkage show BAAP-OUT-2.1             one node, its citation and every link
              linkage export edges --dataset baap-2018-2021 --format csv
              linkage analyses                      the registered analyses and their options
              linkage run neighbourhood --set focus=BAAP-OBJ-2 -o out
              linkage views                         every diagram each analysis draws, by id
              linkage render BAAP-OBJ-2 --format png -o objective-2.png
              linkage all                           every analysis into graphs/, with an index
              linkage import plan.xlsx --dataset my-plan   bring your own plan (CSV or XLSX)
              linkage export plan --plan baap --format xlsx -o baap.xlsx
              linkage serve                         explore in a browser: http://127.0.0.1:8080/
              linkage new-analysis MyQuestion       start an analysis (--swift plugin or --python program)

            Exit status: 0 success; 1 the datasets have errors; 2 usage error (bad option, \
            unknown id or analysis); 3 an analysis or a diagram failed (the others still ran); \
            4 an output could not be written.
            """,
        version: Linkage.version,
        subcommands: [
            Validate.self, Datasets.self, Search.self, List.self, Show.self, Analyses.self, Views.self, Render.self,
            Run.self, All.self, Import.self, Export.self, Serve.self, NewAnalysis.self,
        ])

    /// The release version (`linkage --version`; the Debian package takes its version from it).
    public static let version = "0.1.0"

    public init() {}

    /// Runs the command line and returns the process exit status.
    public static func main(arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success.rawValue
        } catch let failure as CommandFailure {
            Console.endProgress()
            if let message = failure.message { Console.error("error: \(message)") }
            return failure.status.rawValue
        } catch {
            Console.endProgress()
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            Console.error(message)
            if code == .validationFailure {
                return ExitStatus.usage.rawValue
            }
            return code.rawValue
        }
    }
}
