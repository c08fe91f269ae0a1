import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TandemApp

/// Reads an SVG as XML: the elements by name, and the series each chart declares.
final class SVGReader: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []

    static func read(_ svg: String) throws -> SVGReader {
        let reader = SVGReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

    var series: [String] { elements.compactMap { $0.attributes["data-series"] } }
    func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }
}

func markup(_ node: BodyNode) -> String {
    var bytes: [UInt8] = []
    node.render(into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

@Suite("Charts")
struct ChartTests {
    @Test func aChartIsWellFormedSVGWithItsSeriesLegendAndAxes() throws {
        let chart = Chart(id: "c", title: "Velocity & more <test>", xAxis: "Sprint", yAxis: "Points", categories: ["1", "2", "3"], series: [
            .init(name: "Committed", values: [5, 8, nil], kind: .bars, color: "#aebde9"),
            .init(name: "Done", values: [4, 8, 6], kind: .bars, color: "#2f8f5b"),
            .init(name: "Median", values: [5, 5, 5], kind: .dashed, color: "#7a3db8"),
            .init(name: "Cone", values: [6, 9, 12], kind: .band(lower: [4, 6, 8]), color: "#2f5bea"),
        ], markers: [.init(at: 1.5, label: "85%: sprint 2.5")])
        let svg = try SVGReader.read(chart.svg(standalone: true))
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.series == ["Cone", "Committed", "Done", "Median"], "bands under bars under lines")
        #expect(svg.elements.filter { $0.name == "rect" && $0.attributes["height"] != nil && $0.attributes["x"] != nil }.count >= 5, "five bars plus the legend's swatches")
        #expect(svg.texts.joined().contains("Velocity & more <test>"), "the title, escaped and read back")
        #expect(svg.texts.contains("Sprint") && svg.texts.contains("Points"), "both axes are labelled")
        #expect(svg.texts.contains("85%: sprint 2.5"))
        #expect(svg.count("polygon") == 1 && svg.count("polyline") == 1)
        let figure = markup(chart.figure)
        #expect(figure.contains(#"<th scope="col">Cone (low)</th>"#), "the table carries every series")
        #expect(figure.contains("<td>–</td>"), "a missing value is shown as missing")
    }

    @Test func aSparklineSaysItsTrendInWords() throws {
        let node = Chart.sparkline([("Sprint 1", 100), ("Sprint 2", nil), ("Sprint 3", 88.2)], threshold: 80, unit: "%", title: "Say/do ratio")
        let html = markup(node)
        #expect(html.contains(#"aria-label="Say/do ratio trend: Sprint 1: 100%; Sprint 2: no number; Sprint 3: 88.2%""#))
        let empty = markup(Chart.sparkline([("Today", nil)], threshold: nil, unit: "x", title: "t"))
        #expect(empty.contains("No trend yet."))
    }
}
