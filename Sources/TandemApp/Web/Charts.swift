import Foundation
import TandemCore

/// A chart drawn on the server as SVG: a title, axis labels, a legend, and a table with the same numbers beside it for
/// screen readers and exact reading. No JavaScript and nothing fetched; the same drawing serves inline in a page and
/// standalone at a chart's own URL, so colours are attributes, not page CSS.
struct Chart: Sendable {
    /// How a series is drawn.
    enum Kind: Sendable {
        case bars
        case line
        case dashed
        /// A filled band between `lower` and the series' values (a forecast cone).
        case band(lower: [Double?])
    }

    /// One named row of values, one per category; nil leaves a gap.
    struct Series: Sendable {
        let name: String
        let values: [Double?]
        let kind: Kind
        let color: String
    }

    /// A labelled vertical line at a category position (fractions fall between categories): a percentile, today.
    struct Marker: Sendable {
        let at: Double
        let label: String
        var color = "#7a3db8"
    }

    /// An id unique within a page (the SVG's title is referenced by it).
    let id: String
    let title: String
    let xAxis: String
    let yAxis: String
    let categories: [String]
    let series: [Series]
    var markers: [Marker] = []
    /// Formats values in the table and on the axis.
    var format: @Sendable (Double) -> String = { Chart.number($0) }

    static let palette = ["#2f5bea", "#2f8f5b", "#b5590f", "#7a3db8", "#a61b4a", "#0b6b75", "#6b6b00"]

    static func number(_ value: Double) -> String { CapacityPlan.format(value) }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A round step for about four grid lines up to `top`.
    static func step(for top: Double) -> Double {
        guard top > 0 else { return 1 }
        let raw = top / 4, magnitude = pow(10, floor(log10(raw)))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= raw { return factor * magnitude }
        return 10 * magnitude
    }

    private static let width = 520.0, height = 270.0, left = 52.0, right = 16.0, top = 52.0, bottom = 44.0

    /// The SVG; `standalone` adds the XML namespace and a white background for a chart served on its own.
    func svg(standalone: Bool = false) -> String {
        let w = Self.width, h = Self.height, plotW = w - Self.left - Self.right, plotH = h - Self.top - Self.bottom
        var everything: [Double] = series.flatMap { $0.values.compactMap { $0 } }
        for entry in series { if case .band(let lower) = entry.kind { everything += lower.compactMap { $0 } } }
        let step = Self.step(for: max(everything.max() ?? 0, 0)), ceiling = step * max(1, (max(everything.max() ?? 0, 0) / step).rounded(.up))
        let count = max(categories.count, 1), slot = plotW / Double(count)
        func x(_ index: Double) -> Double { Self.left + (index + 0.5) * slot }
        func y(_ value: Double) -> Double { Self.top + plotH - max(0, value) / ceiling * plotH }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var out = standalone ? ##"<svg xmlns="http://www.w3.org/2000/svg""## : "<svg"
        out += ##" class="chart" viewBox="0 0 \##(Int(w)) \##(Int(h))" role="img" aria-labelledby="\##(id)-title" font-family="sans-serif" font-size="11">"##
        out += ##"<title id="\##(id)-title">\##(Self.escape(title))</title>"##
        if standalone { out += ##"<rect width="100%" height="100%" fill="#fff"/>"## }
        out += ##"<text x="\##(Int(Self.left))" y="16" font-size="13" font-weight="bold" fill="#222">\##(Self.escape(title))</text>"##
        // The legend, one swatch per series.
        var legendX = Self.left
        for entry in series {
            let dash: String
            switch entry.kind {
            case .bars, .band: dash = ""
            case .line: dash = ""
            case .dashed: dash = ##" stroke-dasharray="5 3""##
            }
            if case .line = entry.kind {
                out += ##"<line x1="\##(f(legendX))" y1="30" x2="\##(f(legendX + 14))" y2="30" stroke="\##(entry.color)" stroke-width="2.5"/>"##
            } else if case .dashed = entry.kind {
                out += ##"<line x1="\##(f(legendX))" y1="30" x2="\##(f(legendX + 14))" y2="30" stroke="\##(entry.color)" stroke-width="2"\##(dash)/>"##
            } else {
                out += ##"<rect x="\##(f(legendX))" y="25" width="14" height="10" fill="\##(entry.color)"\##(entry.kind.isBand ? ##" fill-opacity=".3""## : "")/>"##
            }
            out += ##"<text x="\##(f(legendX + 18))" y="34" fill="#333">\##(Self.escape(entry.name))</text>"##
            legendX += 30 + Double(entry.name.count) * 6
        }
        // Grid and axes.
        var tick = 0.0
        while tick <= ceiling + step / 1000 {
            out += ##"<line x1="\##(Int(Self.left))" y1="\##(f(y(tick)))" x2="\##(Int(w - Self.right))" y2="\##(f(y(tick)))" stroke="#e3e6ec"/>"##
            out += ##"<text x="\##(Int(Self.left - 6))" y="\##(f(y(tick) + 4))" text-anchor="end" fill="#555">\##(format(tick))</text>"##
            tick += step
        }
        out += ##"<line x1="\##(Int(Self.left))" y1="\##(Int(Self.top))" x2="\##(Int(Self.left))" y2="\##(f(Self.top + plotH))" stroke="#888"/>"##
        out += ##"<line x1="\##(Int(Self.left))" y1="\##(f(Self.top + plotH))" x2="\##(Int(w - Self.right))" y2="\##(f(Self.top + plotH))" stroke="#888"/>"##
        let every = max(1, Int((Double(categories.count) / 12).rounded(.up)))
        for (index, label) in categories.enumerated() where index % every == 0 {
            out += ##"<text x="\##(f(x(Double(index))))" y="\##(f(Self.top + plotH + 14))" text-anchor="middle" fill="#555">\##(Self.escape(label))</text>"##
        }
        out += ##"<text x="\##(f(Self.left + plotW / 2))" y="\##(Int(h - 6))" text-anchor="middle" fill="#333">\##(Self.escape(xAxis))</text>"##
        out += ##"<text transform="translate(13 \##(f(Self.top + plotH / 2))) rotate(-90)" text-anchor="middle" fill="#333">\##(Self.escape(yAxis))</text>"##
        // Bands first, then bars, then lines on top.
        for entry in series {
            guard case .band(let lower) = entry.kind else { continue }
            let upper = entry.values.enumerated().compactMap { index, value in value.map { "\(f(x(Double(index)))),\(f(y($0)))" } }
            let under = lower.enumerated().reversed().compactMap { index, value in value.map { "\(f(x(Double(index)))),\(f(y($0)))" } }
            if !upper.isEmpty { out += ##"<polygon class="series" data-series="\##(Self.escape(entry.name))" points="\##((upper + under).joined(separator: " "))" fill="\##(entry.color)" fill-opacity=".2" stroke="none"/>"## }
        }
        let barSeries = series.filter { if case .bars = $0.kind { true } else { false } }
        let barWidth = slot * 0.7 / Double(max(barSeries.count, 1))
        for (n, entry) in barSeries.enumerated() {
            out += ##"<g class="series" data-series="\##(Self.escape(entry.name))" fill="\##(entry.color)">"##
            for (index, value) in entry.values.enumerated() {
                guard let value else { continue }
                let barX = x(Double(index)) - slot * 0.35 + Double(n) * barWidth
                out += ##"<rect x="\##(f(barX))" y="\##(f(y(value)))" width="\##(f(barWidth - 1))" height="\##(f(Self.top + plotH - y(value)))"><title>\##(Self.escape("\(entry.name), \(categories[safe: index] ?? ""): \(format(value))"))</title></rect>"##
            }
            out += "</g>"
        }
        for entry in series {
            let dash: String
            switch entry.kind {
            case .line: dash = ""
            case .dashed: dash = ##" stroke-dasharray="5 3""##
            default: continue
            }
            var runs: [[String]] = [[]]
            for (index, value) in entry.values.enumerated() {
                if let value { runs[runs.count - 1].append("\(f(x(Double(index)))),\(f(y(value)))") } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            out += ##"<g class="series" data-series="\##(Self.escape(entry.name))">"##
            for run in runs where !run.isEmpty {
                out += run.count == 1
                    ? ##"<circle cx="\##(run[0].split(separator: ",")[0])" cy="\##(run[0].split(separator: ",")[1])" r="3" fill="\##(entry.color)"/>"##
                    : ##"<polyline points="\##(run.joined(separator: " "))" fill="none" stroke="\##(entry.color)" stroke-width="\##(dash.isEmpty ? "2.5" : "1.5")"\##(dash)/>"##
            }
            out += "</g>"
        }
        for marker in markers {
            let markerX = Self.left + (marker.at + 0.5) * slot
            out += ##"<g class="marker"><line x1="\##(f(markerX))" y1="\##(Int(Self.top - 4))" x2="\##(f(markerX))" y2="\##(f(Self.top + plotH))" stroke="\##(marker.color)" stroke-dasharray="3 2"/>"##
            out += ##"<text x="\##(f(markerX + 3))" y="\##(Int(Self.top + 6))" fill="\##(marker.color)">\##(Self.escape(marker.label))</text></g>"##
        }
        return out + "</svg>"
    }

    /// The chart and its numbers as a table (collapsed, but read by screen readers and on request).
    var figure: BodyNode {
        H.el("figure", ["class": "chart-figure", "id": id], [
            .raw(svg()),
            H.el("details", ["class": "chart-numbers"], [
                H.el("summary", text: "The numbers behind “\(title)”"),
                H.el("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": title], [H.el("table", ["class": "chart-table"], [
                    H.el("caption", ["class": "muted small"], text: title),
                    H.el("thead", [H.el("tr", [H.el("th", ["scope": "col"], text: xAxis)] + tableColumns.map { H.el("th", ["scope": "col"], text: $0.name) })]),
                    H.el("tbody", categories.enumerated().map { index, label in
                        H.el("tr", [H.el("th", ["scope": "row"], text: label)] + tableColumns.map { column in
                            H.el("td", text: column.values[safe: index].flatMap { $0 }.map(format) ?? "–")
                        })
                    }),
                ])]),
                markers.isEmpty ? .empty : H.el("p", ["class": "muted small"], text: markers.map(\.label).joined(separator: " · ")),
            ]),
        ])
    }

    /// Every series as a column; a band adds its lower edge as a column of its own.
    private var tableColumns: [(name: String, values: [Double?])] {
        series.flatMap { entry -> [(name: String, values: [Double?])] in
            if case .band(let lower) = entry.kind { return [("\(entry.name) (low)", lower), ("\(entry.name) (high)", entry.values)] }
            return [(entry.name, entry.values)]
        }
    }

    /// A tile's small trend: a line with its lowest and highest readings marked and written beside it, the threshold
    /// dashed, and the whole trend in words for screen readers. A single reading is said in words, not drawn as a dot.
    static func sparkline(_ points: [(label: String, value: Double?)], threshold: Double?, unit: String, title: String) -> BodyNode {
        let known = points.compactMap(\.value)
        func say(_ value: Double) -> String { number(value) + (unit == "%" ? "%" : " " + unit) }
        guard !known.isEmpty else { return H.el("p", ["class": "muted small trend-empty"], text: "No trend yet.") }
        guard known.count > 1, let low = known.min(), let high = known.max() else {
            let only = points.first { $0.value != nil }
            return H.el("p", ["class": "muted small trend-single"], text: "One reading so far (\(only?.label ?? "today")): \(say(known[0])). The trend draws from the next one on.")
        }
        let w = 160.0, h = 40.0, top = max(high, threshold ?? 0, 1), span = Double(max(points.count - 1, 1))
        func x(_ index: Int) -> Double { 4 + Double(index) / span * (w - 8) }
        func y(_ value: Double) -> Double { h - 4 - value / top * (h - 8) }
        let words = points.map { "\($0.label): \($0.value.map(say) ?? "no number")" }.joined(separator: "; ")
        var svg = ##"<svg class="sparkline" viewBox="0 0 \##(Int(w)) \##(Int(h))" width="\##(Int(w))" height="\##(Int(h))" role="img" aria-label="\##(escape("\(title) trend: \(words)"))">"##
        if let threshold { svg += ##"<line x1="0" y1="\##(String(format: "%.1f", y(threshold)))" x2="\##(Int(w))" y2="\##(String(format: "%.1f", y(threshold)))" stroke="#999" stroke-dasharray="3 2"/>"## }
        let coordinates = points.enumerated().compactMap { index, point in point.value.map { String(format: "%.1f,%.1f", x(index), y($0)) } }
        svg += ##"<polyline points="\##(coordinates.joined(separator: " "))" fill="none" stroke="#2f5bea" stroke-width="2"/>"##
        // The extremes: hollow for the lowest, filled for the highest (the last of each, if repeated).
        if let lowIndex = points.lastIndex(where: { $0.value == low }) {
            svg += ##"<circle class="low" cx="\##(String(format: "%.1f", x(lowIndex)))" cy="\##(String(format: "%.1f", y(low)))" r="3" fill="#fff" stroke="#2f5bea" stroke-width="1.5"/>"##
        }
        if let highIndex = points.lastIndex(where: { $0.value == high }) {
            svg += ##"<circle class="high" cx="\##(String(format: "%.1f", x(highIndex)))" cy="\##(String(format: "%.1f", y(high)))" r="3" fill="#2f5bea"/>"##
        }
        let first = points.first { $0.value != nil }, last = points.last { $0.value != nil }
        return H.el("div", ["class": "trend"], [
            .raw(svg + "</svg>"),
            H.el("span", ["class": "muted small"], [
                H.el("span", ["class": "trend-range"], text: "Low \(say(low)) · high \(say(high))"),
                H.void("br", [:]),
                .text("\(first?.label ?? "") to \(last?.label ?? "")"),
            ]),
        ])
    }

    /// Values on spokes (a radar), one closed shape per series; the table beside it carries the numbers.
    static func radar(id: String, title: String, axes: [String], series: [Series], maximum: Double) -> BodyNode {
        let size = 300.0, center = 150.0, radius = 95.0
        func point(_ index: Int, _ value: Double) -> String {
            let angle = Double(index) / Double(axes.count) * 2 * Double.pi - Double.pi / 2
            let r = radius * value / maximum
            return String(format: "%.1f,%.1f", center + r * cos(angle), center + 10 + r * sin(angle))
        }
        var svg = ##"<svg class="chart radar" viewBox="0 0 \##(Int(size)) \##(Int(size) + 20)" role="img" aria-labelledby="\##(id)-title" font-family="sans-serif" font-size="9"><title id="\##(id)-title">\##(escape(title))</title>"##
        for level in 1...Int(maximum) {
            svg += ##"<polygon points="\##(axes.indices.map { point($0, Double(level)) }.joined(separator: " "))" fill="none" stroke="#d5d9e2"/>"##
        }
        for (index, axis) in axes.enumerated() {
            let angle = Double(index) / Double(axes.count) * 2 * Double.pi - Double.pi / 2
            let labelX = center + (radius + 14) * cos(angle), labelY = center + 10 + (radius + 14) * sin(angle)
            let anchor = abs(cos(angle)) < 0.2 ? "middle" : cos(angle) > 0 ? "start" : "end"
            svg += ##"<text x="\##(String(format: "%.1f", labelX))" y="\##(String(format: "%.1f", labelY + 3))" text-anchor="\##(anchor)" fill="#444">\##(escape(axis))</text>"##
        }
        for (n, entry) in series.enumerated() {
            let shape = entry.values.enumerated().map { point($0.offset, $0.element ?? 0) }.joined(separator: " ")
            svg += ##"<polygon class="series" data-series="\##(escape(entry.name))" points="\##(shape)" fill="\##(entry.color)" fill-opacity="\##(n == 0 ? ".15" : "0")" stroke="\##(entry.color)" stroke-width="2"\##(n == 0 ? "" : ##" stroke-dasharray="5 3""##)/>"##
            svg += ##"<rect x="\##(8 + n * 130)" y="4" width="12" height="8" fill="\##(entry.color)"/><text x="\##(24 + n * 130)" y="12" fill="#333">\##(escape(entry.name))</text>"##
        }
        return .raw(svg + "</svg>")
    }
}

extension Chart.Kind {
    var isBand: Bool { if case .band = self { true } else { false } }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
