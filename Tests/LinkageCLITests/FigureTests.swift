import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageRendering
import LinkageTestSupport
import Testing

/// Runs an analysis of the registry on the real datasets, in process.
func analysisResult(_ id: String, _ options: [String: String] = [:]) throws -> AnalysisResult {
    let plugin = try #require(registeredAnalyses.first { $0.descriptor.id == id })
    return try plugin.run(AnalysisContext(graph: Repository.loaded.graph, options: AnalysisOptions(options)))
}

func view(_ id: String, of result: AnalysisResult) throws -> ViewSpec { try #require(result.views.first { $0.id == id }) }

/// Node centres as Graphviz itself placed them, read back from its `plain` output (points,
/// y up, as Graphviz counts).
func graphvizPositions(_ dot: String) throws -> [String: (x: Double, y: Double)] {
    let plain = String(decoding: try Graphviz.shared.render(dot: dot, engine: "nop2", format: "plain").data, as: UTF8.self)
    var positions: [String: (x: Double, y: Double)] = [:]
    for line in plain.split(separator: "\n") where line.hasPrefix("node ") {
        // node NAME X Y ...; a name with other than letters, digits and underscores is quoted.
        var rest = Substring(line.dropFirst(5))
        var name: String
        if rest.hasPrefix("\"") {
            let end = rest.dropFirst().firstIndex(of: "\"")!
            name = String(rest[rest.index(after: rest.startIndex)..<end])
            rest = rest[rest.index(after: end)...]
        } else {
            let end = rest.firstIndex(of: " ")!
            name = String(rest[..<end])
            rest = rest[end...]
        }
        let fields = rest.split(separator: " ")
        positions[name] = (Double(fields[0])! * 72, Double(fields[1])! * 72)
    }
    return positions
}

/// The font sizes of every text in an SVG as drawn on the page: the size Graphviz writes times
/// the scale from the SVG's coordinates to its printed size (width in pt over the viewBox).
func printedFontSizes(_ svg: String) throws -> (sizes: [Double], width: Double, height: Double) {
    let header = try #require(svg.firstMatch(of: /<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"/))
    let width = Double(header.1)!, height = Double(header.2)!
    let scale = width / Double(header.3)!
    var sizes: [Double] = []
    for match in svg.matches(of: /font-size="([\d.]+)"/) { sizes.append(Double(match.1)! * scale) }
    // Graphviz can also scale the whole drawing with a transform.
    if let transform = svg.firstMatch(of: /transform="scale\(([\d.]+) ([\d.]+)\)/) {
        sizes = sizes.map { $0 * Double(transform.1)! }
    }
    return (sizes, width, height)
}

@Suite("Figures an analyst can publish")
struct FigureTests {
    static let landscape = FigureOptions(page: .a4Landscape)

    func laidOut(_ view: ViewSpec, _ language: Language = .en, _ options: FigureOptions = landscape) throws -> LaidOutView {
        try DiagramRenderer(language: language, options: options).layout(view)
    }

    // MARK: Document order, read back from Graphviz's layout

    /// Ids of `prefix` ordered top to bottom on the page (then left to right).
    func topToBottom(_ positions: [String: (x: Double, y: Double)], _ keep: (String) -> Bool) -> [String] {
        positions.filter { keep($0.key) }.sorted { a, b in
            abs(a.value.x - b.value.x) > 40 ? a.value.x < b.value.x : a.value.y > b.value.y
        }.map(\.key)
    }

    @Test(arguments: [Language.en, .zh])
    func planToSDGOverviewsAreInDocumentOrder(_ language: Language) throws {
        let result = try analysisResult("sdg-mapping")
        for (plan, elements) in [("kap", ["KAP-P1", "KAP-P2", "KAP-P3", "KAP-P5", "KAP-E3", "KAP-E4"]),
                                 ("baap", ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4",
                                           "4.1", "4.2", "4.3", "4.4"].map { "BAAP-OUT-" + $0 })] {
            let page = try laidOut(try view("plan-sdg-\(plan)", of: result), language).pages[0]
            let positions = try graphvizPositions(page.dot())
            // Elements top to bottom as the plan numbers them (KAP priorities before enablers).
            #expect(topToBottom(positions) { elements.contains($0) } == elements)
            // Goals top to bottom 1–17, all right of every element.
            let goals = topToBottom(positions) { $0.range(of: #"^SDG-\d+$"#, options: .regularExpression) != nil }
            #expect(goals == goals.sorted { Int($0.dropFirst(4))! < Int($1.dropFirst(4))! } && goals.count >= 14, "\(goals)")
            let rightmostElement = elements.compactMap { positions[$0]?.x }.max()!
            #expect(goals.allSatisfy { positions[$0]!.x > rightmostElement }, "\(goals.map { positions[$0]!.x }) vs \(rightmostElement)")
        }
    }

    @Test func elementFiguresListGoalsAndTargetsInUNOrder() throws {
        let result = try analysisResult("sdg-mapping")
        // P1: one column of goals; P2: goals on both sides of the element, lower numbers left.
        for id in ["KAP-P1", "KAP-P2", "BAAP-OUT-2.1"] {
            let page = try laidOut(try view("element-sdg-\(id)", of: result), .en, FigureOptions()).pages[0]
            let positions = try graphvizPositions(page.dot())
            let targets = topToBottom(positions) { $0.hasPrefix("SDG-") && $0.contains(".") }
            #expect(!targets.isEmpty)
            #expect(targets == targets.sorted { NodeID($0) < NodeID($1) }, "\(id): \(targets)")
        }
    }

    @Test func neighbourhoodTargetsAreInUNOrder() throws {
        let result = try analysisResult("neighbourhood")
        let page = try laidOut(try view("neighbourhood-BAAP-OBJ-1", of: result), .zh, FigureOptions()).pages[0]
        let positions = try graphvizPositions(page.dot())
        let outputs = topToBottom(positions) { $0.hasPrefix("BAAP-OUT-") }
        #expect(outputs == (1...6).map { "BAAP-OUT-1.\($0)" })
        let sdg = topToBottom(positions) { $0.hasPrefix("SDG-") && $0 != "SDG-ALL" }
        #expect(sdg == sdg.sorted { NodeID($0) < NodeID($1) }, "\(sdg)")
    }

    @Test func heatMapRowsFollowThePlan() throws {
        let result = try analysisResult("sdg-mapping")
        let page = try laidOut(try view("heatmap-kap", of: result)).pages[0]
        let positions = try graphvizPositions(page.dot())
        let labels = try Graphviz.shared.drawnLabels(dot: page.dot())
        let rows = positions.filter { $0.key.hasPrefix("__row_") }.sorted { $0.value.y > $1.value.y }
        let ids = rows.compactMap { labels[$0.key]?.first?.split(separator: " ").first.map(String.init) }
        #expect(ids == ["KAP-P1", "KAP-P2", "KAP-P3", "KAP-P4", "KAP-P5", "KAP-E1", "KAP-E2", "KAP-E3", "KAP-E4", "KAP-E5", "KAP-E6", "KAP-E7"])
        // Goal columns left to right 1–17.
        let columns = positions.filter { $0.key.hasPrefix("__col_") }.sorted { $0.value.x < $1.value.x }
        let heads = columns.compactMap { labels[$0.key]?.first }
        #expect(heads.prefix(17).map { $0.replacingOccurrences(of: "SDG ", with: "") } == (1...17).map(String.init))
    }

    // MARK: Page-ready

    /// The figures the issue names, on A4 landscape, in both languages: one page each, the canvas
    /// the page, and no text under 7 pt as printed (read from the rendered SVG).
    @Test(arguments: [Language.en, .zh])
    func namedFiguresFitA4LandscapeAtSevenPoints(_ language: Language) throws {
        let sdg = try analysisResult("sdg-mapping")
        let views = try ["plan-sdg-kap", "plan-sdg-baap", "heatmap-kap", "heatmap-baap", "heatmap-sp20"].map { try view($0, of: sdg) }
        for view in views {
            let renderer = DiagramRenderer(language: language, options: Self.landscape)
            let laid = try renderer.layout(view)
            #expect(laid.pages.count == 1, "\(view.id) needs \(laid.pages.count) pages")
            #expect(laid.warnings.isEmpty, "\(laid.warnings)")
            for page in laid.pages {
                let svg = String(decoding: try renderer.render(page, format: .svg).data, as: UTF8.self)
                let printed = try printedFontSizes(svg)
                #expect(abs(printed.width - 842) <= 1 && abs(printed.height - 595) <= 1, "\(view.id): \(printed.width) × \(printed.height)")
                #expect(!printed.sizes.isEmpty)
                #expect(printed.sizes.allSatisfy { $0 >= PageSize.minimumFontSize - 0.01 }, "\(view.id): \(printed.sizes.min()!) pt")
            }
        }
    }

    /// Every diagram `linkage all` draws, on its default page (A4, the orientation that suits
    /// it), in both languages: no text under 7 pt anywhere.
    @Test func everyDefaultFigureKeepsSevenPoints() throws {
        for id in registeredAnalyses.map(\.descriptor.id) {
            let result = try analysisResult(id)
            for view in result.views {
                for language in Language.allCases {
                    let laid = try laidOut(view, language, FigureOptions())
                    for page in laid.pages {
                        #expect(page.smallestFontSize >= PageSize.minimumFontSize - 0.01,
                                "\(id)/\(view.id) (\(language)): \(page.smallestFontSize) pt")
                    }
                }
            }
        }
    }

    /// The BAAP elements → action lines → goals figure on its default page: its 17 elements
    /// have one line each, and each shows its code and words of its name. Before the spaces
    /// between columns gave width to labels cut short, they read "BAAP-OUT-1.3…",
    /// "BAAP-OUT-1.1 Fina…", "BAAP-OUT-2.1 电信/…".
    @Test(arguments: [(Language.en, 6), (.zh, 5)])
    func elementsCutToOneLineKeepWordsOfTheirNames(_ language: Language, _ least: Int) throws {
        let result = try analysisResult("wsis-action-lines")
        let page = try laidOut(try view("plan-lines-sdg-baap", of: result), language, FigureOptions()).pages[0]
        var seen = 0
        for match in page.dot().matches(of: /"(BAAP-OUT-[\d.]+)" \[[^\]]*?label="([^"]*)"/) {
            seen += 1
            let name = match.2.dropFirst(match.1.count).trimmingPrefix(" ").replacing("…", with: "")
            #expect(match.2.hasPrefix(match.1) && name.count >= least, "\(language): \(match.2)")
        }
        #expect(seen == 17)
    }

    @Test func aGridTallerThanThePageIsSplitWithRowsWhole() throws {
        // 150 rows of long labels in three blocks: several A4 pages, each at 7 pt or more.
        let columns = (1...17).map { MatrixAxisEntry(label: LocalizedText(zh: "目标\($0)\n名称", en: "SDG \($0)\nIndustry, innovation and infrastructure")) }
        let rows = (1...150).map { r in
            MatrixAxisEntry(label: LocalizedText(zh: "要素 \(r) 一个相当长的名称，需要换行才能完整显示",
                                                 en: "Element \(r) with a rather long name that needs wrapping to be shown in full"),
                            group: LocalizedText(zh: "组 \((r - 1) / 50 + 1)", en: "Block \((r - 1) / 50 + 1)"))
        }
        let cells = rows.indices.map { r in columns.indices.map { c in MatrixCell((r + c) % 5 == 0 ? "\(r % 7)" : "") } }
        let matrix = ViewSpec(id: "tall", title: LocalizedText(zh: "高表", en: "Tall grid"),
                              diagram: .matrix(MatrixView(rowHeader: LocalizedText(zh: "行", en: "Row"), columnHeader: LocalizedText(zh: "列", en: "Column"),
                                                          rows: rows, columns: columns, cells: cells)))
        let renderer = DiagramRenderer(language: .en, options: Self.landscape)
        let laid = try renderer.layout(matrix)
        #expect(laid.pages.count > 1)
        #expect(laid.pages.map(\.suffix) == (1...laid.pages.count).map { "-p\($0)" })
        var seen: [String] = []
        for page in laid.pages {
            #expect(page.smallestFontSize >= PageSize.minimumFontSize)
            let labels = try Graphviz.shared.drawnLabels(dot: page.dot())
            let positions = try graphvizPositions(page.dot())
            for (name, _) in positions.filter({ $0.key.hasPrefix("__row_") }).sorted(by: { $0.value.y > $1.value.y }) {
                seen.append(labels[name]!.joined(separator: " "))
            }
        }
        // Every row once, in order, its label never cut.
        #expect(seen == rows.map(\.label.en))
    }

    // MARK: The command line

    @Test func kapOverviewAsAnA4LandscapePDFWithEmbeddedFonts() throws {
        let folder = try makeTemporaryDirectory("figure")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kap.pdf")
        let result = try runLinkage(["render", "--analysis", "sdg-mapping", "--view", "plan-sdg-kap", "--page", "a4-landscape",
                                     "--format", "pdf", "-o", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        let box = try #require(pdf.firstMatch(of: /\/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/))
        #expect(abs(Double(box.1)! - 841.89) < 1 && abs(Double(box.2)! - 595.28) < 1, "MediaBox \(box.1) × \(box.2)")
        // Every font is embedded (pdffonts, from poppler-utils, which scripts/setup.sh installs).
        let pdffonts = Process()
        pdffonts.executableURL = URL(fileURLWithPath: "/usr/bin/pdffonts")
        guard FileManager.default.isExecutableFile(atPath: pdffonts.executableURL!.path) else {
            Issue.record("pdffonts is missing: run scripts/setup.sh (poppler-utils)")
            return
        }
        pdffonts.arguments = [file.path]
        let pipe = Pipe()
        pdffonts.standardOutput = pipe
        try pdffonts.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        pdffonts.waitUntilExit()
        let fonts = listing.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        // Columns: name type encoding emb sub uni object ID; emb is the fourth from the end.
        #expect(fonts.allSatisfy { line in let f = line.split(separator: " "); return f.count >= 7 && f[f.count - 4] == "yes" }, "\(listing)")
    }

    @Test func fileNamesCarryTheLanguageAndTheCaptionGoesBeside() throws {
        let folder = try makeTemporaryDirectory("figure")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLinkage(["render", "--analysis", "sdg-mapping", "--view", "plan-sdg-kap", "--lang", "zh", "--no-legend", "--no-title",
                                     "--datasets", Repository.datasets.path], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(relativeFiles(in: folder) == ["plan-sdg-kap.zh.caption.txt", "plan-sdg-kap.zh.svg"])
        let caption = try String(contentsOf: folder.appendingPathComponent("plan-sdg-kap.zh.caption.txt"), encoding: .utf8)
        // In the figure's language: the title, and what the derived links are inherited from.
        #expect(caption.contains("《基加利行动计划》（2023-2027年）：与可持续发展目标的联系"))
        #expect(caption.contains("推导") && caption.contains("kap-priority-sdg-via-baap-output"))
        let svg = try String(contentsOf: folder.appendingPathComponent("plan-sdg-kap.zh.svg"), encoding: .utf8)
        #expect(!svg.contains("与可持续发展目标的联系</text>"))
        #expect(!svg.contains("图例"))
        // run/all: every diagram name says its language, so two languages never overwrite each other.
        let run = try runLinkage(["run", "sdg-mapping", "--set", "plan=kap", "--set", "elements=KAP-P1", "--lang", "en", "-o", folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let diagrams = relativeFiles(in: folder.appendingPathComponent("sdg-mapping")).filter { $0.hasSuffix(".svg") }
        #expect(!diagrams.isEmpty && diagrams.allSatisfy { $0.hasSuffix(".en.svg") }, "\(diagrams)")
    }

    @Test func pngResolutionFollowsDPI() throws {
        let folder = try makeTemporaryDirectory("figure")
        defer { try? FileManager.default.removeItem(at: folder) }
        for dpi in [96, 192] {
            let file = folder.appendingPathComponent("p\(dpi).png")
            let result = try runLinkage(["render", "--analysis", "risk-matrix", "--view", "heat-map-op-2023", "--page", "a4", "--format", "png",
                                         "--dpi", String(dpi), "-o", file.path])
            #expect(result.status == 0, "\(result.stderr)")
            let data = try Data(contentsOf: file)
            // PNG header: width and height as big-endian integers at bytes 16–23.
            let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(abs(Double(width) - 595.28 / 72 * Double(dpi)) < 2, "\(dpi) dpi: \(width) px")
        }
    }

    @Test func severalFocusIdsDrawOneDiagram() throws {
        let folder = try makeTemporaryDirectory("figure")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("both.svg")
        let result = try runLinkage(["render", "KAP-P1", "KAP-P2", "-o", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let svg = try String(contentsOf: file, encoding: .utf8)
        #expect(svg.contains("<title>KAP&#45;P1</title>") && svg.contains("<title>KAP&#45;P2</title>"))
        #expect(relativeFiles(in: folder) == ["both.svg"])
    }

    // MARK: What is drawn

    @Test func elementsOptionChoosesWhatIsDrawn() throws {
        let priorities = try analysisResult("sdg-mapping", ["plan": "kap", "elements": "kap-priority"])
        let figures = priorities.views.map(\.id).filter { $0.hasPrefix("element-sdg-") }
        #expect(figures == (1...5).map { "element-sdg-KAP-P\($0)" })
        guard case .network(let overview) = try view("plan-sdg-kap", of: priorities).diagram else { Issue.record("no network"); return }
        #expect(overview.nodes.filter { $0.id.rawValue.hasPrefix("KAP-") }.map(\.id) == ["KAP-P1", "KAP-P2", "KAP-P3", "KAP-P5"])
        let two = try analysisResult("sdg-mapping", ["plan": "kap", "elements": "KAP-P1,KAP-P3"])
        #expect(two.views.map(\.id).filter { $0.hasPrefix("element-sdg-") } == ["element-sdg-KAP-P1", "element-sdg-KAP-P3"])
        guard case .matrix(let heat) = try view("heatmap-kap", of: two).diagram else { Issue.record("no matrix"); return }
        #expect(heat.rows.map { $0.label.en.prefix(6) } == ["KAP-P1", "KAP-P3"])
        // Tables still cover every element.
        let coverage = try #require(two.tables.first { $0.id == "coverage-matrix-kap" })
        #expect(coverage.rows.count == 12)
        // A wrong value is the user's to fix, with a suggestion.
        let wrong = try runLinkage(["run", "sdg-mapping", "--set", "plan=kap", "--set", "elements=KAP-P9"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("elements"))
    }

    @Test func everyKAPElementAndBAAPOutputHasItsFigure() throws {
        let result = try analysisResult("sdg-mapping")
        let ids = Set(result.views.map(\.id))
        let graph = Repository.loaded.graph
        for plan in ["kap", "baap"] {
            for element in graph.resolve(try #require(graph.vocabulary.plan(plan))).elements {
                #expect(ids.contains("element-sdg-\(ViewSpec.fileSafe(element.id.rawValue))"), "\(element.id)")
            }
        }
    }

    /// A figure built on derived links says in words what they are inherited from and by which
    /// rule; the legend shows each line style once.
    @Test func derivedFiguresSayWhatTheyInherit() throws {
        let result = try analysisResult("sdg-mapping")
        for id in ["plan-sdg-kap", "heatmap-kap", "element-sdg-KAP-P1"] {
            let caption = try #require(try view(id, of: result).caption)
            #expect(caption.en.contains("OP-23 theme → BAAP output → SDG"), "\(id): \(caption.en)")
            #expect(caption.en.contains("kap-priority-sdg-via-baap-output") && caption.en.contains("op23-theme-continues-baap-output"))
            #expect(caption.en.contains("itself states none"))
            #expect(caption.zh.contains("推导") && caption.zh.contains("本身未陈述"))
        }
        // BAAP links are declared: no such caption.
        #expect(try view("plan-sdg-baap", of: result).caption == nil)
        let renderer = DiagramRenderer(language: .en)
        let svg = String(decoding: try renderer.render(try renderer.layout(try view("plan-sdg-kap", of: result)).pages[0], format: .svg).data,
                         as: UTF8.self)
        #expect(svg.components(separatedBy: ">advances SDG: derived by a named rule (dashed)").count == 2)
        #expect(!svg.contains("declared by a document (solid)"))
    }

    // MARK: One answer to "which SDG targets does this element reach"

    @Test func sdgMappingAndRiskMatrixAgreeOnWhatOP23ThemesReach() throws {
        let sdg = try analysisResult("sdg-mapping", ["plan": "op23"])
        var bySDGMapping: [String: Set<String>] = [:]
        let coverage = try #require(sdg.tables.first { $0.id == "coverage" })
        let element = coverage.columns.firstIndex { $0.id == "element" }!, targets = coverage.columns.firstIndex { $0.id == "target_ids" }!
        for row in coverage.rows {
            bySDGMapping[row[element].description, default: []].formUnion(row[targets].description.split(separator: " ").map(String.init))
        }
        let risk = try analysisResult("risk-matrix", ["plan": "op23"])
        var byRiskMatrix: [String: Set<String>] = [:]
        let exposure = try #require(risk.tables.first { $0.id == "exposure-sdg" })
        let sdgColumn = exposure.columns.firstIndex { $0.id == "sdg" }!, level = exposure.columns.firstIndex { $0.id == "level" }!
        let via = exposure.columns.firstIndex { $0.id == "elements_via" }!
        for row in exposure.rows where row[level].description == "target" {
            for theme in row[via].description.components(separatedBy: ", ") { byRiskMatrix[theme, default: []].insert(row[sdgColumn].description) }
        }
        // Themes naming goals only reach no target.
        bySDGMapping = bySDGMapping.filter { !$0.value.isEmpty }
        #expect(!bySDGMapping.isEmpty)
        #expect(bySDGMapping.values.reduce(0) { $0 + $1.count } > 0)
        #expect(bySDGMapping == byRiskMatrix)
        let all = bySDGMapping.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let planWide = try #require(risk.tables.first { $0.id == "exposure-plan-wide" })
        let count = planWide.columns.firstIndex { $0.id == "sdg_targets" }!
        #expect(planWide.rows.first?[count] == .integer(all.count))
    }
}
