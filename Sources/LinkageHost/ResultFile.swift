import Foundation
import LinkageKit

/// The content of `result.json`: the result in its JSON form (the form external analyses write)
/// plus, under keys a reader of results ignores (`AnalysisResult.hostFields`), the analysis and
/// options that produced it and the files its diagrams were written to.
struct ResultFile: Encodable {
    let descriptor: AnalysisDescriptor
    let options: AnalysisOptions
    let result: AnalysisResult
    let diagrams: [(view: ViewSpec, files: [String])]

    struct Analysis: Encodable { var id, title, summary: String }
    struct Diagram: Encodable { var id: String; var files: [String] }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: ResultFileKey.self)
        try c.encode(Analysis(id: descriptor.id, title: descriptor.title, summary: descriptor.summary), forKey: .analysis)
        try c.encode(options.values, forKey: .options)
        try c.encode(diagrams.map { Diagram(id: $0.view.id, files: $0.files) }, forKey: .diagrams)
    }

    enum ResultFileKey: String, CodingKey { case analysis, options, diagrams }

    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
