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
              linkage show BAAP-OUT-2.1             one node, its citation and every link
              linkage export edges --dataset baap-2018-2021 --format csv
              linkage analyses                      the registered analyses and their options
              linkage run neighbourhood --set focus=BAAP-OBJ-2 -o out
              linkage render BAAP-OBJ-2 --format png -o objective-2.png
              linkage all                           every analysis into graphs/, with an index
              linkage new-analysis MyQuestion       start an analysis (--swift plugin or --python program)

            Exit status: 0 success; 1 the datasets have errors; 2 usage error (bad option, \
            unknown id or analysis); 3 an analysis or a diagram failed (the others still ran); \
            4 an output could not be written.
            """,
        subcommands: [
            Validate.self, Datasets.self, Analyses.self, Show.self, Export.self, Render.self, Run.self, All.self,
            NewAnalysis.self,
        ])

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
