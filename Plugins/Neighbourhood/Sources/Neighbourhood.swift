import LinkageKit
public let analysis: any AnalysisPlugin = NeighbourhoodAnalysis()
struct NeighbourhoodAnalysis: AnalysisPlugin {
    var descriptor: AnalysisDescriptor { AnalysisDescriptor(id: "neighbourhood", title: "Neighbourhood", summary: "TODO") }
    func run(_ context: AnalysisContext) throws -> AnalysisResult { AnalysisResult() }
}
