import ArgumentParser
import Foundation
import LinkageKit
import LinkageSpreadsheet

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a plan mapping from a spreadsheet (CSV or XLSX) as a dataset that declares a plan.",
        discussion: """
            The sheet has a header row `id,parent,label_en,label_zh,sdg,wsis,mandates` (in any \
            order and case; either label may be empty; more columns become attributes) and one \
            row per plan element. The code columns hold lists as people type them: `9.c, 17.6`, \
            `5b; 9a`, `C7 e-health`, `WTDC Res. 37`, `PP Res. 139`. Codes are normalised the way \
            `linkage validate` suggests and keep what was written (as_written). A row that other \
            rows name as parent is a group of the plan (like an objective). The column layout is \
            described in docs/plan-import.md (installed: /usr/share/doc/linkage/plan-import.md).

            Writes DIR/NAME/ (manifest.yaml and plan.yaml, every link citing its sheet, row and \
            column) and declares the plan NAME, which every analysis accepts as --set plan=NAME. \
            Every bad cell is reported in one run, as plan.csv:12:5: error: ... (line and field) or \
            plan.xlsx:Sheet1!E12: error: ..., and then nothing is written (exit status 1); with \
            --allow-errors the good rows are written and the rows left out are listed in the \
            manifest's notes. Importing the same sheet again gives the same bytes; a folder is \
            replaced only if an earlier import wrote it.

            Examples:
              linkage import examples/plans/national-broadband-plan.xlsx --dataset nbp
              linkage import plan.csv --dataset my-plan --datasets ~/linkage-datasets
              linkage import plan.xlsx --sheet Mapping --dataset my-plan --id-prefix MP-
              linkage import plan.xlsx --dataset my-plan --allow-errors
              then: linkage validate; linkage run sdg-mapping --set plan=my-plan; linkage all
            """)

    @OptionGroup var datasetOptions: DatasetOptions
    @Argument(help: ArgumentHelp("The spreadsheet: .csv (UTF-8; comma, semicolon or tab) or .xlsx.", valueName: "file"))
    var file: String
    @Option(name: .customLong("dataset"), help: ArgumentHelp(
        "Name of the dataset folder to write, and the id of its plan (lower-case words joined by hyphens).", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("The XLSX sheet to read (default: the first).", valueName: "sheet"))
    var sheet: String?
    @Option(help: ArgumentHelp("Put before every id and parent of the sheet (ids must be unique across all datasets).", valueName: "prefix"))
    var idPrefix: String = ""
    @Option(help: ArgumentHelp("The plan's English title (default: NAME (plan imported from FILE)).", valueName: "text"))
    var titleEn: String?
    @Option(help: ArgumentHelp("The plan's Chinese title.", valueName: "text"))
    var titleZh: String?
    @Flag(help: "Write the rows without errors and list the others in the manifest's notes (exit status stays 1).")
    var allowErrors = false

    func run() throws {
        guard name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil, !DatasetLoader.nonDatasetFolders.contains(name) else {
            throw usageError("'\(name)' cannot name a dataset: use lower-case letters and digits, words joined by hyphens (e.g. national-broadband-plan)")
        }
        let root = try datasetOptions.resolveDatasets()
        if let installed = RepositoryLocator.installedDatasets(), installed.path == root.path {
            throw usageError("""
                the datasets installed with linkage (\(root.path)) are read-only; copy them and import into the copy:
                  cp -r \(root.path) ~/linkage-datasets && export LINKAGE_DATASETS=~/linkage-datasets
                """)
        }
        let target = root.appendingPathComponent(name)
        try refuseToReplaceCuratedFolder(target)

        // The codes are checked against every other dataset of the folder.
        let loaded = DatasetLoader.load(from: root, options: LoadOptions(excludedDatasets: [name]))
        if loaded.hasErrors {
            for diagnostic in loaded.errors.prefix(10) { Console.error(diagnostic.description) }
            throw CommandFailure(status: .dataErrors, message: "the datasets in \(SourceLocation.displayPath(root.path)) have \(loaded.errors.count) errors; fix them first (linkage validate)")
        }
        let graph = loaded.graph
        if let plan = graph.plan(named: name) {
            throw usageError("dataset \(plan.declaredBy) already declares a plan '\(plan.id)'; choose another name")
        }

        let planSheet = try readSheet()
        let title = (titleEn != nil || titleZh != nil)
            ? LocalizedText(zh: titleZh ?? titleEn!, en: titleEn ?? titleZh!) : nil
        let result = PlanImporter(name: name, idPrefix: idPrefix, title: title, graph: graph).run(planSheet)
        for problem in result.problems { Console.error(problem.description) }
        let errorCount = result.errors.count
        if errorCount > 0 && !allowErrors {
            throw CommandFailure(status: .dataErrors,
                                 message: "\(errorCount) error\(errorCount == 1 ? "" : "s") in \(file); nothing written (fix the cells above, or --allow-errors to import the other rows)")
        }
        guard !result.plan.elements.isEmpty else {
            throw CommandFailure(status: .dataErrors, message: "no row of \(file) can be imported; nothing written")
        }

        let requires = Set(result.plan.elements.flatMap { $0.links.flatMap(\.targets) }.compactMap { graph.node(NodeID($0.id))?.dataset })
            .filter { $0 != name }.sorted()
        let files = ImportedDatasetText.files(for: result.plan, requires: requires)
        try install(files, at: target, root: root)

        let plan = result.plan
        let links = plan.elements.flatMap(\.links).filter { $0.relation != .partOf }.reduce(0) { $0 + $1.targets.count }
        let loose = plan.elements.flatMap(\.links).flatMap(\.targets).filter { $0.asWritten != nil }.count
        let groups = plan.elements.filter(\.isGroup).count
        print("imported \(plan.elements.count) of \(plan.rowCount) rows of \(file) into \(SourceLocation.displayPath(target.path)): "
              + "\(plan.elements.count - groups) elements, \(groups) groups, \(links) links (\(loose) codes written loosely, kept as as_written)")
        print("plan id: \(name)   next: linkage validate; linkage run sdg-mapping --set plan=\(name); linkage all")
        if errorCount > 0 {
            throw CommandFailure(status: .dataErrors, message: "\(errorCount) error\(errorCount == 1 ? "" : "s"): \(result.rowsLeftOut.count) rows left out (listed in the manifest's notes)")
        }
    }

    func readSheet() throws -> PlanSheet {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw usageError("no such file: \(file)") }
        let table: SpreadsheetTable
        do {
            switch url.pathExtension.lowercased() {
            case "xlsx", "xlsm":
                table = try XLSXReader.read(contentsOf: url, displayName: file, sheet: sheet)
            case "csv", "tsv", "txt":
                if sheet != nil { throw usageError("--sheet is for XLSX workbooks; a CSV file has one table") }
                table = try CSVTableReader.read(contentsOf: url, displayName: file)
            case "xls", "ods", "numbers":
                throw usageError("\(file): save the sheet as .xlsx or CSV UTF-8 first (.\(url.pathExtension) is not read)")
            default:
                throw usageError("\(file): the file name should end in .csv or .xlsx")
            }
        } catch let error as SpreadsheetError {
            throw CommandFailure(status: .dataErrors, message: error.description.replacingOccurrences(of: ": error: ", with: ": "))
        }
        return PlanSheet(
            fileName: url.lastPathComponent, sheet: table.sheet,
            rows: table.rows.map { row in
                let first = CellPosition(file: table.file, sheet: table.sheet, row: row.number, column: 1)
                return PlanSheetRow(
                    number: row.number,
                    place: table.sheet.map { "\($0) row \(row.number)" } ?? "line \(row.number)",
                    reference: first.description,
                    cells: row.cells.map {
                        PlanSheetCell(text: $0.text, isNumber: $0.isNumber, column: $0.position.column,
                                      reference: $0.position.description, place: $0.position.placeInFile)
                    })
            },
            numbersAreTyped: table.sheet != nil)
    }

    /// A folder is replaced only if an earlier import wrote it (its manifest says so).
    func refuseToReplaceCuratedFolder(_ target: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        let manifest = target.appendingPathComponent(DatasetLoader.manifestFile)
        let text = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
        let generated = text.split(separator: "\n").contains { $0 == "generated_by: \(ImportedDatasetText.generatedBy)" }
        guard isDirectory.boolValue, generated else {
            throw CommandFailure(
                status: .outputFailed,
                message: "\(SourceLocation.displayPath(target.path)) exists and was not written by linkage import; it is left alone (choose another --dataset name)")
        }
    }

    /// Writes the folder aside, checks that it loads with the others, then swaps it in.
    func install(_ files: [(name: String, text: String)], at target: URL, root: URL) throws {
        let fileManager = FileManager.default
        let staging = root.appendingPathComponent(".\(name).import-\(UUID().uuidString)")
        let check = fileManager.temporaryDirectory.appendingPathComponent("linkage-import-check-\(UUID().uuidString)")
        defer {
            try? fileManager.removeItem(at: staging)
            try? fileManager.removeItem(at: check)
        }
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            for (fileName, text) in files {
                try Data(text.utf8).write(to: staging.appendingPathComponent(fileName), options: .atomic)
            }
        } catch {
            throw CommandFailure(status: .outputFailed, message: "cannot write into \(SourceLocation.displayPath(root.path)): \(error.localizedDescription)")
        }

        // Self-check: the new folder, with every other dataset, loads without errors.
        try fileManager.createDirectory(at: check, withIntermediateDirectories: true)
        for entry in try fileManager.contentsOfDirectory(atPath: root.path) where !entry.hasPrefix(".") && entry != name {
            try fileManager.createSymbolicLink(at: check.appendingPathComponent(entry), withDestinationURL: root.appendingPathComponent(entry))
        }
        try fileManager.createSymbolicLink(at: check.appendingPathComponent(name), withDestinationURL: staging)
        let verified = DatasetLoader.load(from: check)
        let ownErrors = verified.errors.filter { $0.location?.file.contains("/\(name)/") ?? true }
        if !ownErrors.isEmpty {
            for diagnostic in ownErrors.prefix(10) { Console.error(diagnostic.description) }
            throw CommandFailure(status: .dataErrors, message: "the dataset written from \(file) does not load (a bug in linkage import: please report it); nothing written")
        }

        let old = root.appendingPathComponent(".\(name).replaced-\(UUID().uuidString)")
        do {
            if fileManager.fileExists(atPath: target.path) { try fileManager.moveItem(at: target, to: old) }
            try fileManager.moveItem(at: staging, to: target)
            try? fileManager.removeItem(at: old)
        } catch {
            if fileManager.fileExists(atPath: old.path), !fileManager.fileExists(atPath: target.path) {
                try? fileManager.moveItem(at: old, to: target)
            }
            throw CommandFailure(status: .outputFailed, message: "cannot move the new dataset into place: \(error.localizedDescription)")
        }
    }
}
