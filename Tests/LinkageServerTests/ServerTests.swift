import Foundation
import LinkageHost
import LinkageKit
import LinkageRegistry
import LinkageServer
import LinkageTestSupport
import Testing

/// `linkage serve` through real HTTP on loopback: the pages, the diagrams, the errors, the safety
/// rules. One server per suite (they share it; each test asks only what it needs).
@Suite(.serialized) struct ServerTests {
    @Test func pagesSearchNodesAndErrors() async throws {
        let server = try await RunningServer.start()
        defer { server.stop() }

        // The start page: kinds and datasets, the style sheet, safe headers.
        let start = try await server.get("/")
        #expect(start.status == 200)
        #expect(start.contentType == "text/html; charset=utf-8")
        #expect(start.text.contains("href=\"/search?kind=baap-output\""))
        #expect(start.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let css = try await server.get("/assets/style.css")
        #expect(css.status == 200 && css.contentType.hasPrefix("text/css"))

        // Search: Chinese labels, ids without punctuation, typos; results grouped by kind.
        let chinese = try await server.get("/search?q=" + "应急通信".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        #expect(chinese.status == 200)
        #expect(chinese.text.contains("<section class=\"kind-group\">"))
        #expect(chinese.text.contains("href=\"/node/BAAP-OUT-2.3\""))
        let compact = try await server.get("/search?q=sdg+9c")
        #expect(compact.text.contains("href=\"/node/SDG-9.c\""))
        let typo = try await server.get("/search?q=broadbnd")
        #expect(typo.text.contains("one or two letters off"))
        #expect(typo.text.contains("href=\"/node/"))
        let byKind = try await server.get("/search?kind=sdg-goal")
        #expect(byKind.text.contains("href=\"/node/SDG-17\""))
        let badKind = try await server.get("/search?kind=sdg-goals")
        #expect(badKind.status == 400 && badKind.text.contains("no kind &#39;sdg-goals&#39;"))

        // A node: both labels, kind, attributes, citation with its quote, links by relation.
        let node = try await server.get("/node/BAAP-OUT-2.1")
        #expect(node.status == 200)
        #expect(node.text.contains("电信/信息通信技术（ICT）基础设施，包括宽带和广播"))
        #expect(node.text.contains("Telecommunication/ICT infrastructure"))
        #expect(node.text.contains("<q>2.1 - 电信/信息通信技术（ICT）基础设施，包括宽带和广播</q>"))
        #expect(node.text.contains("<h3>advances-sdg"))
        #expect(node.text.contains("class=\"badge declared\""))
        // Its neighbourhood, inline, each node a link to its page.
        #expect(node.text.contains("<figure class=\"diagram\"><svg"))
        #expect(node.text.contains("xlink:href=\"/node/SDG-9\"") || node.text.contains("xlink:href=\"/node/BAAP-OBJ-2\""))
        #expect(node.text.contains("href=\"/node/BAAP-OUT-2.1/diagram.pdf?depth=1"))

        // A derived link: rule, justification, and a path whose steps are links.
        let derived = try await server.get("/node/KAP-P1")
        #expect(derived.status == 200)
        if derived.text.contains("class=\"badge derived\"") {
            #expect(derived.text.contains("by rule <code>"))
            #expect(derived.text.contains("<div class=\"path\">via <a href=\"/node/"))
        } else {
            Issue.record("KAP-P1 shows no derived link")
        }

        // Unknown ids: 404 with the suggestion `show` gives.
        let unknown = try await server.get("/node/BAAP-OUT-21")
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("no node has the id &#39;BAAP-OUT-21&#39;"))
        #expect(unknown.text.contains("Did you mean <a href=\"/node/BAAP-OUT-2.1\">"))
        let nowhere = try await server.get("/nothing/here")
        #expect(nowhere.status == 404)
    }

    @Test func diagramsOnRequestWithOptionsCacheAndLimits() async throws {
        let server = try await RunningServer.start()
        defer { server.stop() }

        let svg = try await server.get("/node/SDG-9.c/diagram.svg?depth=1&lang=zh")
        #expect(svg.status == 200)
        #expect(svg.contentType == "image/svg+xml")
        #expect(svg.text.contains("<svg"))
        #expect(svg.text.contains("target=\"_top\""))
        #expect(svg.text.contains("xlink:href=\"/node/"))
        let rendersAfterFirst = await server.diagrams.renders
        let again = try await server.get("/node/SDG-9.c/diagram.svg?depth=1&lang=zh")
        #expect(again.body == svg.body)
        #expect(await server.diagrams.renders == rendersAfterFirst, "a repeated view reached Graphviz again")

        let png = try await server.get("/node/SDG-9.c/diagram.png?depth=1")
        #expect(png.status == 200 && png.contentType == "image/png")
        #expect(png.body.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let pdf = try await server.get("/node/SDG-9.c/diagram.pdf?depth=1&engine=neato")
        #expect(pdf.status == 200 && pdf.contentType == "application/pdf")
        #expect(pdf.body.prefix(5) == Data("%PDF-".utf8))

        // Declared links only: no dashed (derived) line is drawn.
        let declared = try await server.get("/node/KAP-P1/diagram.svg?provenance=declared&depth=1")
        #expect(declared.status == 200)
        #expect(!declared.text.contains("stroke-dasharray"))

        // Bad options: 400 with the CLI's message.
        let depth = try await server.get("/node/SDG-9.c/diagram.svg?depth=9")
        #expect(depth.status == 400)
        #expect(depth.text.contains("neighbourhood: option &#39;depth&#39;"))
        let relation = try await server.get("/node/SDG-9.c/diagram.svg?relations=advance-sdg")
        #expect(relation.status == 400)
        #expect(relation.text.contains("advances-sdg"), "no suggestion for a near-miss relation")
        let engine = try await server.get("/node/SDG-9.c/diagram.svg?engine=dotty")
        #expect(engine.status == 400 && engine.text.contains("option &#39;engine&#39;"))
        let format = try await server.get("/node/SDG-9.c/diagram.gif")
        #expect(format.status == 404)

        // An enormous diagram is refused before it reaches the renderer.
        let rendersBefore = await server.diagrams.renders
        let huge = try await server.get("/node/SDG-ALL/diagram.svg?depth=6&direction=both")
        let hugeGoal = try await server.get("/node/SDG-9/diagram.svg?depth=6&direction=both")
        let refused = [huge, hugeGoal].filter { $0.status == 422 }
        #expect(!refused.isEmpty, "no depth-6 neighbourhood was refused: \(huge.status) \(hugeGoal.status)")
        for reply in refused { #expect(reply.text.contains("the server draws at most")) }
        #expect(await server.diagrams.renders == rendersBefore + 2 - refused.count)
    }

    @Test func analysesRunFromTheirForms() async throws {
        let server = try await RunningServer.start()
        defer { server.stop() }

        let list = try await server.get("/analyses")
        #expect(list.status == 200 && list.text.contains("href=\"/analysis/sdg-mapping\""))
        let form = try await server.get("/analysis/neighbourhood")
        #expect(form.text.contains("<select id=\"opt-direction\" name=\"direction\">"))
        #expect(!form.text.contains("<h2>Headline</h2>"))

        let run = try await server.get("/analysis/neighbourhood?focus=BAAP-OUT-2.1&depth=1&run=1")
        #expect(run.status == 200)
        #expect(run.text.contains("<h2>Headline</h2>"))
        #expect(run.text.contains("Nodes reached"))
        #expect(run.text.contains("<a href=\"/analysis/neighbourhood/view/neighbourhood-BAAP-OUT-2.1.svg?focus=BAAP-OUT-2.1&amp;depth=1&amp;lang=en&amp;page=none\" download=\"neighbourhood-BAAP-OUT-2.1.svg\">SVG</a>"))
        #expect(form.text.contains("<select id=\"opt-lang\" name=\"lang\">"), "no language field on the analysis form")
        #expect(form.text.contains("<select id=\"opt-page\" name=\"page\">"), "no page field on the analysis form")
        // The diagram inline, its nodes links to their pages.
        #expect(run.text.contains("</figcaption><svg"))
        #expect(run.text.contains("xlink:href=\"/node/BAAP-OUT-2.1\""))
        let view = try await server.get("/analysis/neighbourhood/view/neighbourhood-BAAP-OUT-2.1.svg?focus=BAAP-OUT-2.1&depth=1&lang=en")
        #expect(view.status == 200 && view.contentType == "image/svg+xml")
        let viewPDF = try await server.get("/analysis/neighbourhood/view/neighbourhood-BAAP-OUT-2.1.pdf?focus=BAAP-OUT-2.1&depth=1")
        #expect(viewPDF.body.prefix(5) == Data("%PDF-".utf8))

        let mapping = try await server.get("/analysis/sdg-mapping?plan=kap&run=1")
        #expect(mapping.status == 200)
        // Many diagrams: the first inline, the rest as images.
        #expect(mapping.text.contains("<img src=\"/analysis/sdg-mapping/view/"))
        #expect(mapping.text.contains("<h2>Findings</h2>") || mapping.text.contains("<h2>Headline</h2>"))

        // A figure split over pages (a matrix on a slide): every page shown, each downloadable.
        let paged = try await server.get("/analysis/resolution-xref?page=slide&run=1")
        #expect(paged.status == 200)
        #expect(paged.text.contains("(page 1 of 2)") && paged.text.contains("(page 2 of 2)"), "the pages of a split figure are not all shown")
        // A headline value with a note (ten mandates tied: "×10") shows the note.
        #expect(paged.text.contains("10 tied, 2 of 12 elements each"), "a headline figure's note is missing")
        let second = try #require(paged.text.firstMatch(of: /href="(\/analysis\/resolution-xref\/view\/[^"]*\.pdf\?[^"]*part=2)"/))
        let secondPDF = try await server.get(String(second.output.1).replacingOccurrences(of: "&amp;", with: "&"))
        #expect(secondPDF.status == 200 && secondPDF.body.prefix(5) == Data("%PDF-".utf8))
        #expect(paged.text.contains("-p2.pdf\">PDF</a>"), "a page's download is not named like linkage render's files")
        // Several inline figures in one page: no element id twice (Graphviz numbers every SVG's
        // elements from graph0, node1 … alike).
        for page in [mapping, paged] {
            let ids = page.text.matches(of: /<[a-z]+ id="([^"]+)"/).map { String($0.output.1) }
            #expect(ids.count > 10 && Set(ids).count == ids.count, "element ids repeat in one page")
        }
        // A figure on a page larger than its drawing is shown down to where the drawing ends
        // (the risk heat maps take less than half of an A4 page); its download keeps the page.
        let risk = try await server.get("/analysis/risk-matrix?page=a4&run=1")
        let shown = risk.text.matches(of: /<svg width="595pt" height="([\d.]+)pt"/).map { Double($0.output.1)! }
        #expect(shown.contains { $0 < 421 }, "\(shown)")
        let file = try await server.get("/analysis/risk-matrix/view/heat-map-op-2023.svg?page=a4")
        #expect(file.status == 200 && file.text.contains("<svg width=\"595pt\" height=\"842pt\""))
        let noSuchPage = try await server.get("/analysis/resolution-xref/view/co-citation-baap.svg?page=slide&part=3")
        #expect(noSuchPage.status == 404 && noSuchPage.text.contains("co-citation-baap has 1 page; there is no page 3"))

        let badOption = try await server.get("/analysis/neighbourhood?focus=BAAP-OUT-21&run=1")
        #expect(badOption.status == 400)
        #expect(badOption.text.contains("did you mean &#39;BAAP-OUT-2.1&#39;?"))
        let unknown = try await server.get("/analysis/sdg-maping")
        #expect(unknown.status == 404 && unknown.text.contains("did you mean &#39;sdg-mapping&#39;"))
    }

    /// External analyses (programs in any language) are listed and run from /analysis like the
    /// built-in ones: their headline, findings, tables and diagrams; the result is computed once
    /// for the page and all its diagram files (the program counts its runs); the CLI's limits hold
    /// (a program past its timeout is stopped and the page says so); their texts are escaped
    /// like every other text.
    @Test func externalAnalysesRunLikeBuiltInOnes() async throws {
        let folder = try makeTemporaryDirectory("serve-external")
        defer { try? FileManager.default.removeItem(at: folder) }
        let programs = folder.appendingPathComponent("analyses")
        try FileManager.default.createDirectory(at: programs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.fixtures.appendingPathComponent("external-analyses/hostile/slow"),
                                         to: programs.appendingPathComponent("slow"))
        let runs = folder.appendingPathComponent("runs.log")
        let hostile = programs.appendingPathComponent("hostile-result")
        try """
            #!/bin/sh
            # A test fixture: an external analysis whose texts try to become markup and controls.
            if [ "$1" = describe ]; then
              echo '{"protocol_version": 1, "id": "hostile-result", "title": "Hostile <i>result</i>", "summary": "Test fixture: <script>alert(1)</script>"}'
              exit 0
            fi
            cat > /dev/null
            echo run >> '\(runs.path)'
            printf '%s\\n' '{"headline": [{"label": "Label <script>alert(1)</script>", "value": "1"}], "findings": [{"severity": "warning", "code": "hostile", "message": "<img src=x onerror=alert(1)> safe\\u202Etxt.exe \\u001b[31mred", "ids": ["SDG-9"]}], "views": [{"id": "hostile-view", "title": "<script>alert(2)</script>", "network": {"nodes": ["SDG-9", {"id": "SDG-9.c", "label": "<b>x</b>\\u202E"}], "edges": []}}]}'
            """.write(to: hostile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hostile.path)
        let limits = ExternalLimits(timeout: 2)
        // Discovery blocks its thread until the programs answer (it is synchronous, as the CLI
        // calls it); from a test it runs on a Dispatch thread, not one of the few threads of
        // Swift's cooperative pool, which the other suites running in parallel keep busy.
        let folders = [Repository.root.appendingPathComponent("analyses"), programs]
        let external = await withCheckedContinuation { done in
            DispatchQueue.global().async {
                done.resume(returning: ExternalAnalysisDiscovery.discover(in: folders, limits: limits, errorLine: { _ in }))
            }
        }
        let server = try await RunningServer.start(analyses: ExternalAnalysisDiscovery.combine(builtIn: registeredAnalyses, external: external))
        defer { server.stop() }

        let list = try await server.get("/analyses")
        for id in ["budget-per-sdg", "hostile-result", "slow", "sdg-mapping"] {
            #expect(list.text.contains("href=\"/analysis/\(id)\""), "\(id) is not listed")
        }
        #expect(list.text.contains("budget-per-sdg</code>"))
        #expect(list.text.contains("Hostile &lt;i&gt;result&lt;/i&gt;"))

        // The repository's example (Python): its report and its diagrams, nodes linked to their pages.
        let budget = try await server.get("/analysis/budget-per-sdg?run=1")
        #expect(budget.status == 200, "\(budget.text.prefix(2000))")
        #expect(budget.text.contains("<h2>Headline</h2>"))
        #expect(budget.text.contains("</figcaption><svg"))
        #expect(budget.text.contains("xlink:href=\"/node/"))
        #expect(budget.text.contains("<option value=\"zh\">zh</option>"), "no language field on the form")
        let zh = try await server.get("/analysis/budget-per-sdg?run=1&lang=zh")
        #expect(zh.status == 200)
        #expect(zh.text.contains("<option value=\"zh\" selected>zh</option>"))
        #expect(zh.text.contains("可持续发展目标"))

        // Run once for the page and every diagram file of it.
        let page = try await server.get("/analysis/hostile-result?run=1")
        #expect(page.status == 200)
        for format in ["svg", "png", "pdf"] {
            let file = try await server.get("/analysis/hostile-result/view/hostile-view.\(format)?lang=en&page=none")
            #expect(file.status == 200, "\(format): \(file.text.prefix(500))")
        }
        let count = try String(contentsOf: runs, encoding: .utf8).split(separator: "\n").count
        #expect(count == 1, "the program ran \(count) times for one page and its diagrams")
        // Its texts are text.
        #expect(!page.text.contains("<script>alert"))
        #expect(!page.text.contains("<img src=x"))
        #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt; safe\\u{202E}txt.exe \\u{1B}[31mred"))
        #expect(!HostileCorpus.holdsControlCharacters(page.text))

        // The timeout the CLI has: the program is stopped and the page says so.
        let slow = try await server.get("/analysis/slow?run=1")
        #expect(slow.status == 502)
        #expect(slow.text.contains("slow: did not finish within 2 s and was stopped"))
    }

    /// No request reads a file: the pages and the style sheet are compiled in; a path that
    /// climbs out of anything gets a 404 page, never a file's bytes.
    @Test func noPathReachesAFile() async throws {
        let server = try await RunningServer.start()
        defer { server.stop() }
        let secret = "linkage-serve-secret-\(UUID().uuidString)"
        try secret.write(to: server.folder.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let attempts = [
            "/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/..%2Fsecret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/node/..%2F..%2Fsecret.txt", "/node/%2e%2e/diagram.svg", "/../../../../etc/passwd", "/assets/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/style.css/../../datasets/vocabulary.yaml", "/datasets/vocabulary.yaml",
            "/analysis/..%2F..%2Fetc%2Fpasswd", "/analysis/neighbourhood/view/..%2F..%2Fsecret.txt", "/assets//etc/passwd",
            "/assets/%00style.css", "/Package.swift", "/node/BAAP-OUT-2.1/../../../secret.txt",
        ]
        for path in attempts {
            let reply = try await server.get(path)
            #expect(reply.status >= 400 && reply.status < 500, "\(path): \(reply.status)")
            #expect(!reply.text.contains(secret), "\(path) served the secret file")
            #expect(!reply.text.contains("root:x:0:0"), "\(path) served /etc/passwd")
            #expect(!reply.text.contains("relations:\n"), "\(path) served a dataset file")
        }
    }

    /// A curator edits YAML: the change is served, measured from the moment the file is written
    /// to the first answer that shows it; a broken edit shows its positioned error on every page
    /// while the last good graph stays served. The server's periodic check is set to a minute
    /// here, so an answer within `noticeBound` can only come from the kernel's change notice
    /// (inotify). The issue's 2 s is a speed figure of the release build, measured by
    /// `scripts/serve-benchmark.sh` (part `edit`), not asserted here: speed targets live in
    /// benchmarks, and this debug build, loading the datasets again while the parallel suite
    /// keeps both cores busy, took 2.9–3.0 s for one reload on a loaded machine.
    @Test func liveDataSwapsAndKeepsTheLastGoodGraph() async throws {
        let server = try await RunningServer.start(pollInterval: .seconds(60))
        defer { server.stop() }
        let file = server.datasets.appendingPathComponent("baap-2018-2021/outputs.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        let oldLabel = "Telecommunication/ICT infrastructure, including broadband"
        #expect(try await server.get("/node/BAAP-OUT-2.1").text.contains(oldLabel))
        let noticeBound = Duration.seconds(15)

        // Written as editors do: a new file renamed over the old one.
        let newLabel = "Edited infrastructure label \(UUID().uuidString.prefix(8))"
        let editedText = original.replacingOccurrences(of: "en: " + oldLabel, with: "en: " + newLabel)
        var written = ContinuousClock.now
        try editedText.write(to: file, atomically: true, encoding: .utf8)
        let edited = try await poll(server, "/search?q=BAAP-OUT-2.1", within: .seconds(20)) { $0.contains(newLabel) }
        var elapsed = ContinuousClock.now - written
        #expect(edited, "the edited label was not served")
        #expect(elapsed <= noticeBound, "the edit was served \(elapsed) after the write: not through the change notice")

        // A broken edit: an unknown relation (a positioned error); the edited graph stays.
        // Written in place this time (truncate and write), as some editors and scripts do.
        let broken = editedText.replacingOccurrences(of: "relation: advances-sdg", with: "relation: advances-sgd")
        written = ContinuousClock.now
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(broken.utf8))
        try handle.close()
        // Until the error of the whole broken file is shown: the server may first read the file
        // half written (between the truncation and the write) and show that file's errors, and
        // must read it again when the write ends.
        let shown = try await poll(server, "/", within: .seconds(20)) { $0.contains("class=\"data-errors\"") && $0.contains("advances-sgd") }
        elapsed = ContinuousClock.now - written
        #expect(shown, "the errors were not shown")
        #expect(elapsed <= noticeBound, "the errors were shown \(elapsed) after the write: not through the change notice")
        let page = try await server.get("/node/BAAP-OUT-2.1")
        #expect(page.text.contains(newLabel), "the last good graph is not served while the data has errors")
        #expect(page.text.contains("outputs.yaml:"))
        #expect(page.text.range(of: #"outputs\.yaml:\d+:\d+: error: "#, options: .regularExpression) != nil)
        #expect(page.text.contains("advances-sgd"))
        let search = try await server.get("/search?q=broadband")
        #expect(search.text.contains("class=\"data-errors\""), "the errors are not on every page")

        // Fixed: the errors go away.
        written = ContinuousClock.now
        try original.write(to: file, atomically: true, encoding: .utf8)
        let fixed = try await poll(server, "/search?q=BAAP-OUT-2.1", within: .seconds(20)) { !$0.contains("class=\"data-errors\"") && $0.contains(oldLabel) }
        elapsed = ContinuousClock.now - written
        #expect(fixed)
        #expect(elapsed <= noticeBound, "the fix was served \(elapsed) after the write: not through the change notice")

        // A new file in a new folder is noticed too (the new folder is watched as it appears):
        // a manifest that does not parse is an error of the data.
        let folder = server.datasets.appendingPathComponent("new-dataset")
        written = ContinuousClock.now
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "dataset: [unclosed\n".write(to: folder.appendingPathComponent("manifest.yaml"), atomically: false, encoding: .utf8)
        let noticed = try await poll(server, "/", within: .seconds(20)) { $0.contains("new-dataset/manifest.yaml:") }
        elapsed = ContinuousClock.now - written
        #expect(noticed, "a file in a new folder was not noticed")
        #expect(elapsed <= noticeBound, "a file in a new folder was noticed \(elapsed) after the write")
    }

    func poll(_ server: RunningServer, _ path: String, within limit: Duration, until condition: (String) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(try await server.get(path).text) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Hostile labels, ids and URIs stay inert text on every page and diagram the server gives.
    @Test func hostileDataIsNeverActiveContent() async throws {
        let server = try await RunningServer.start { folder in try HostileDatasets.make(in: folder) }
        defer { server.stop() }
        let out = server.folder.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var paths = ["/", "/search?q=HX", "/search?q=%3Cscript%3E", "/search?kind=hostile-element", "/analyses",
                     "/node/BAAP-OUT-1.1", "/node/SDG-9", "/node/SDG-9.c", "/node/SDG-4", "/node/SDG-17", "/node/SDG-5",
                     "/node/HX-Z%2F1", "/node/HX-%3Ci%3E%22x%22%26%27%3C%2Fi%3E",
                     "/node/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                     "/analysis/neighbourhood?focus=HX-1,HX-2&run=1&combine=yes",
                     "/analysis/sdg-mapping?plan=hostile&run=1"]
        paths += (1...12).map { "/node/HX-\($0)" }
        var files: [String] = []
        for (index, path) in paths.enumerated() {
            let reply = try await server.get(path)
            #expect(reply.status < 500, "\(path): \(reply.status)")
            // Control and bidi characters are never sent raw (they could reorder or hide text).
            #expect(!HostileCorpus.holdsControlCharacters(reply.text), "\(path) carries a raw control or bidi character")
            let page = out.appendingPathComponent("page-\(index).html")
            try reply.body.write(to: page)
            files.append(page.path)
            // Every inline diagram also on its own, as an SVG file (XML rules).
            for (n, match) in reply.text.matches(of: /<svg[\s\S]*?<\/svg>/).enumerated() {
                let svg = out.appendingPathComponent("page-\(index)-\(n).svg")
                try Data(match.output.utf8).write(to: svg)
                files.append(svg.path)
            }
        }
        #expect(try await server.get("/node/HX-Z%2F1").text.contains("<code>HX-Z/1</code>"))
        for id in ["HX-1", "HX-Z%2F1", "SDG-9"] {
            let svg = try await server.get("/node/\(id)/diagram.svg?depth=1&lang=zh")
            #expect(svg.status == 200)
            let file = out.appendingPathComponent("diagram-\(files.count).svg")
            try svg.body.write(to: file)
            files.append(file.path)
        }
        let check = try runProgram(["python3", Repository.root.appendingPathComponent("Tests/Tools/check_active_content.py").path, "--site-forms"] + files)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("checked \(files.count) files: 0 findings"))
        // Control and bidi characters show as the reports show them (the one HTML escaping,
        // HTMLText.escape): visible `\u{…}` text, in the page and in its diagram.
        for (index, text) in HostileCorpus.strings.enumerated() where HostileCorpus.holdsControlCharacters(text) && text.count < 200 {
            let reply = try await server.get("/node/HX-\(index + 1)")
            #expect(reply.status == 200)
            #expect(!HostileCorpus.holdsControlCharacters(reply.text), "HX-\(index + 1) carries a raw control character")
            let visible = InertText.visible(text)
            // The first escape and what follows it, as the page writes it (after HTML escaping).
            if let escape = visible.range(of: "\\u{") {
                let sample = String(visible[escape.lowerBound...].prefix(12))
                #expect(reply.text.contains(HTMLText.escape(sample)), "HX-\(index + 1) does not show \(sample)")
            }
        }
        let bidi = try await server.get("/node/HX-\(HostileCorpus.strings.firstIndex { $0.hasPrefix("safe\u{202E}") }! + 1)")
        #expect(bidi.text.contains("safe\\u{202E}txt.exe"), "a right-to-left override is not shown as an escape")
        #expect(bidi.text.contains("\\u{2066}isolate\\u{2069}"))
        let terminal = try await server.get("/node/HX-\(HostileCorpus.strings.firstIndex { $0.hasPrefix("\u{1B}[31m") }! + 1)")
        #expect(terminal.text.contains("\\u{1B}[31mred\\u{1B}[0m"), "an escape sequence is not shown as text")

        // The hostile URIs are shown, not linked.
        let sdg9 = try await server.get("/node/SDG-9")
        #expect(sdg9.text.contains("javascript:alert(document.domain)"))
        #expect(!sdg9.text.contains("href=\"javascript:"))
    }
}
