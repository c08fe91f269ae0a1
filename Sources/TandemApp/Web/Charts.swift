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
    /// The width of the desktop drawing: a full-width card's (960) or a half-width card's (480).
    var wideWidth = 960.0
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

    /// The sizes a chart is drawn at: wide for a desktop card (960 for a full-width card, 480 for a half), narrow for
    /// a phone's card. Each is drawn for its width, so text is 13 user units shown at about 1:1 (never under 12 CSS
    /// px) and labels are placed not to overlap, instead of one drawing scaled until its text is unreadable.
    static let narrowWidth = 310.0
    static let fontSize = 13.0, titleSize = 14.0

    /// About how wide `text` is at `size` (sans-serif averages under 0.6 em a character; wide capitals are covered by
    /// the margin each placement keeps).
    static func textWidth(_ text: String, size: Double = fontSize) -> Double { Double(text.count) * size * 0.62 }

    /// Words broken into lines that fit `width`.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if textWidth(candidate, size: size) > width, !line.isEmpty { lines.append(line); line = String(word) } else { line = candidate }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The drawing for `width` user units (`wideWidth` when nil); `standalone` adds the XML namespace and a white
    /// background for a chart served on its own.
    func svg(width requested: Double? = nil, standalone: Bool = false) -> String {
        let w = requested ?? wideWidth, font = Self.fontSize
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var everything: [Double] = series.flatMap { $0.values.compactMap { $0 } }
        for entry in series { if case .band(let lower) = entry.kind { everything += lower.compactMap { $0 } } }
        let highest = max(everything.max() ?? 0, 0)
        let step = Self.step(for: highest), ceiling = step * max(1, (highest / step).rounded(.up))
        var ticks: [Double] = []
        var tick = 0.0
        while tick <= ceiling + step / 1000 { ticks.append(tick); tick += step }
        let left = max(44, (ticks.map { Self.textWidth(format($0)) }.max() ?? 0) + 30), right = 14.0

        var out = standalone ? ##"<svg xmlns="http://www.w3.org/2000/svg""## : "<svg"
        var body = ""
        // The title, wrapped to the width.
        var y = 4.0
        for line in Self.wrap(title, width: w - left - right, size: Self.titleSize) {
            y += Self.titleSize + 4
            body += ##"<text x="\##(f(left))" y="\##(f(y))" font-size="\##(Int(Self.titleSize))" font-weight="bold" fill="#222">\##(Self.escape(line))</text>"##
        }
        // The legend: one swatch per series, wrapped into rows.
        y += 10
        var legendX = left
        let rowHeight = font + 7
        for entry in series {
            let itemWidth = 20 + Self.textWidth(entry.name) + 18
            if legendX + itemWidth > w - right, legendX > left { legendX = left; y += rowHeight }
            let mid = y + 6
            switch entry.kind {
            case .line: body += ##"<line x1="\##(f(legendX))" y1="\##(f(mid))" x2="\##(f(legendX + 14))" y2="\##(f(mid))" stroke="\##(entry.color)" stroke-width="2.5"/>"##
            case .dashed: body += ##"<line x1="\##(f(legendX))" y1="\##(f(mid))" x2="\##(f(legendX + 14))" y2="\##(f(mid))" stroke="\##(entry.color)" stroke-width="2" stroke-dasharray="5 3"/>"##
            default: body += ##"<rect x="\##(f(legendX))" y="\##(f(mid - 5))" width="14" height="10" fill="\##(entry.color)"\##(entry.kind.isBand ? ##" fill-opacity=".3""## : "")/>"##
            }
            body += ##"<text class="legend" x="\##(f(legendX + 19))" y="\##(f(mid + 4.5))" fill="#333">\##(Self.escape(entry.name))</text>"##
            legendX += itemWidth
        }
        y += rowHeight
        // Marker labels in rows above the plot, a label moving down a row when it would touch the one before.
        let count = max(categories.count, 1)
        let plotW = w - left - right, slot = plotW / Double(count)
        func x(_ index: Double) -> Double { left + (index + 0.5) * slot }
        var markerRows: [[(from: Double, to: Double)]] = []
        var placed: [(Marker, row: Int, x: Double, anchor: String)] = []
        for marker in markers.sorted(by: { $0.at < $1.at }) {
            let markerX = x(marker.at), width = Self.textWidth(marker.label, size: 12) + 6
            // Near the right edge the label ends at its line instead of starting there.
            let anchorEnd = markerX + width > w - right
            let from = anchorEnd ? markerX - width : markerX, to = anchorEnd ? markerX : markerX + width
            var row = 0
            while row < markerRows.count, markerRows[row].contains(where: { $0.from < to + 4 && from < $0.to + 4 }) { row += 1 }
            if row == markerRows.count { markerRows.append([]) }
            markerRows[row].append((from, to))
            placed.append((marker, row, markerX, anchorEnd ? "end" : "start"))
        }
        let markerTop = y + 4
        let top = markerTop + Double(markerRows.count) * 17 + 6
        let xLabelWidth = (categories.map { Self.textWidth($0, size: 12) }.max() ?? 0) + 8
        let stride = max(1, Int((xLabelWidth / slot).rounded(.up)))
        let bottom = 50.0
        let plotH = max(140, w * 0.32)
        let h = top + plotH + bottom
        func yv(_ value: Double) -> Double { top + plotH - max(0, value) / ceiling * plotH }

        out += ##" class="chart" viewBox="0 0 \##(Int(w)) \##(Int(h.rounded(.up)))" width="\##(Int(w))" height="\##(Int(h.rounded(.up)))" role="img" aria-labelledby="\##(id)-title" font-family="sans-serif" font-size="\##(Int(font))">"##
        out += ##"<title id="\##(id)-title">\##(Self.escape(title))</title>"##
        if standalone { out += ##"<rect width="100%" height="100%" fill="#fff"/>"## }
        out += body
        // Grid and axes.
        for value in ticks {
            out += ##"<line x1="\##(f(left))" y1="\##(f(yv(value)))" x2="\##(f(w - right))" y2="\##(f(yv(value)))" stroke="#e3e6ec"/>"##
            out += ##"<text x="\##(f(left - 6))" y="\##(f(yv(value) + 4.5))" text-anchor="end" fill="#555">\##(format(value))</text>"##
        }
        out += ##"<line x1="\##(f(left))" y1="\##(f(top))" x2="\##(f(left))" y2="\##(f(top + plotH))" stroke="#888"/>"##
        out += ##"<line x1="\##(f(left))" y1="\##(f(top + plotH))" x2="\##(f(w - right))" y2="\##(f(top + plotH))" stroke="#888"/>"##
        for (index, label) in categories.enumerated() where index % stride == 0 {
            out += ##"<text x="\##(f(x(Double(index))))" y="\##(f(top + plotH + 17))" text-anchor="middle" font-size="12" fill="#555">\##(Self.escape(label))</text>"##
        }
        out += ##"<text x="\##(f(left + plotW / 2))" y="\##(f(h - 10))" text-anchor="middle" fill="#333">\##(Self.escape(xAxis))</text>"##
        out += ##"<text transform="translate(\##(f(font + 2)) \##(f(top + plotH / 2))) rotate(-90)" text-anchor="middle" fill="#333">\##(Self.escape(yAxis))</text>"##
        // Bands first, then bars, then lines on top.
        for entry in series {
            guard case .band(let lower) = entry.kind else { continue }
            let upper = entry.values.enumerated().compactMap { index, value in value.map { "\(f(x(Double(index)))),\(f(yv($0)))" } }
            let under = lower.enumerated().reversed().compactMap { index, value in value.map { "\(f(x(Double(index)))),\(f(yv($0)))" } }
            if !upper.isEmpty { out += ##"<polygon class="series" data-series="\##(Self.escape(entry.name))" points="\##((upper + under).joined(separator: " "))" fill="\##(entry.color)" fill-opacity=".2" stroke="none"/>"## }
        }
        let barSeries = series.filter { if case .bars = $0.kind { true } else { false } }
        let barWidth = slot * 0.7 / Double(max(barSeries.count, 1))
        for (n, entry) in barSeries.enumerated() {
            out += ##"<g class="series" data-series="\##(Self.escape(entry.name))" fill="\##(entry.color)">"##
            for (index, value) in entry.values.enumerated() {
                guard let value else { continue }
                let barX = x(Double(index)) - slot * 0.35 + Double(n) * barWidth
                out += ##"<rect x="\##(f(barX))" y="\##(f(yv(value)))" width="\##(f(max(barWidth - 1, 0.5)))" height="\##(f(top + plotH - yv(value)))"><title>\##(Self.escape("\(entry.name), \(categories[safe: index] ?? ""): \(format(value))"))</title></rect>"##
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
            var runs: [[(Double, Double)]] = [[]]
            for (index, value) in entry.values.enumerated() {
                if let value { runs[runs.count - 1].append((x(Double(index)), yv(value))) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            out += ##"<g class="series" data-series="\##(Self.escape(entry.name))">"##
            for run in runs where !run.isEmpty {
                out += run.count == 1
                    ? ##"<circle cx="\##(f(run[0].0))" cy="\##(f(run[0].1))" r="3.5" fill="\##(entry.color)"/>"##
                    : ##"<polyline points="\##(run.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "))" fill="none" stroke="\##(entry.color)" stroke-width="\##(dash.isEmpty ? "2.5" : "1.5")"\##(dash)/>"##
            }
            out += "</g>"
        }
        for (marker, row, markerX, anchor) in placed {
            let labelY = markerTop + Double(row) * 17 + 12
            out += ##"<g class="marker"><line x1="\##(f(markerX))" y1="\##(f(labelY + 3))" x2="\##(f(markerX))" y2="\##(f(top + plotH))" stroke="\##(marker.color)" stroke-dasharray="3 2"/>"##
            out += ##"<text x="\##(f(anchor == "end" ? markerX - 3 : markerX + 3))" y="\##(f(labelY))" text-anchor="\##(anchor)" font-size="12" fill="\##(marker.color)">\##(Self.escape(marker.label))</text></g>"##
        }
        return out + "</svg>"
    }

    /// The chart drawn for a desktop card and for a phone (the page's CSS shows the one that fits), and its numbers
    /// as a table (collapsed, but read by screen readers and on request).
    var figure: BodyNode {
        H.el("figure", ["class": "chart-figure", "id": id], [
            H.el("div", ["class": "chart-wide"], [.raw(svg())]),
            H.el("div", ["class": "chart-narrow"], [.raw(svg(width: Self.narrowWidth).replacingOccurrences(of: "\"\(id)-title\"", with: "\"\(id)-title-narrow\""))]),
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

    /// Values on spokes (a radar), one closed shape per series, drawn for a desktop card and for a phone; axis names
    /// wrap onto lines that stay inside the drawing. The table beside it carries the numbers.
    static func radar(id: String, title: String, axes: [String], series: [Series], maximum: Double) -> BodyNode {
        H.el("div", ["class": "radar-figure"], [
            H.el("div", ["class": "chart-wide"], [.raw(radarSVG(id: id, title: title, axes: axes, series: series, maximum: maximum, width: 480))]),
            H.el("div", ["class": "chart-narrow"], [.raw(radarSVG(id: id + "-narrow", title: title, axes: axes, series: series, maximum: maximum, width: narrowWidth))]),
        ])
    }

    static func radarSVG(id: String, title: String, axes: [String], series: [Series], maximum: Double, width w: Double) -> String {
        let font = fontSize, labelWidth = w < 400 ? 88.0 : 120.0
        let legendHeight = 24.0, radius = (w - 2 * labelWidth) / 2 - 8
        let center = w / 2, centerY = legendHeight + 12 + 3 * (font + 2) + radius
        let h = centerY + radius + 3 * (font + 2) + 12
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        func point(_ index: Int, _ value: Double) -> String {
            let angle = Double(index) / Double(axes.count) * 2 * Double.pi - Double.pi / 2
            let r = radius * value / maximum
            return "\(f(center + r * cos(angle))),\(f(centerY + r * sin(angle)))"
        }
        var svg = ##"<svg class="chart radar" viewBox="0 0 \##(Int(w)) \##(Int(h.rounded(.up)))" width="\##(Int(w))" height="\##(Int(h.rounded(.up)))" role="img" aria-labelledby="\##(id)-title" font-family="sans-serif" font-size="\##(Int(font))"><title id="\##(id)-title">\##(escape(title))</title>"##
        for level in 1...Int(maximum) {
            svg += ##"<polygon points="\##(axes.indices.map { point($0, Double(level)) }.joined(separator: " "))" fill="none" stroke="#d5d9e2"/>"##
        }
        for (index, axis) in axes.enumerated() {
            let angle = Double(index) / Double(axes.count) * 2 * Double.pi - Double.pi / 2
            let labelX = center + (radius + 10) * cos(angle), labelY = centerY + (radius + 10) * sin(angle)
            let anchor = abs(cos(angle)) < 0.2 ? "middle" : cos(angle) > 0 ? "start" : "end"
            let lines = wrap(axis, width: labelWidth - 6, size: font)
            // Above the centre the lines stack upwards from the spoke's end, below it downwards.
            let firstY = sin(angle) < -0.6 ? labelY - Double(lines.count - 1) * (font + 2) : sin(angle) > 0.6 ? labelY + font : labelY - Double(lines.count - 1) * (font + 2) / 2 + 4
            svg += ##"<text x="\##(f(labelX))" y="\##(f(firstY))" text-anchor="\##(anchor)" fill="#444">"##
            for (n, line) in lines.enumerated() {
                svg += ##"<tspan x="\##(f(labelX))" dy="\##(n == 0 ? "0" : f(font + 2))">\##(escape(line))</tspan>"##
            }
            svg += "</text>"
        }
        var legendX = 8.0
        for (n, entry) in series.enumerated() {
            let shape = entry.values.enumerated().map { point($0.offset, $0.element ?? 0) }.joined(separator: " ")
            svg += ##"<polygon class="series" data-series="\##(escape(entry.name))" points="\##(shape)" fill="\##(entry.color)" fill-opacity="\##(n == 0 ? ".15" : "0")" stroke="\##(entry.color)" stroke-width="2"\##(n == 0 ? "" : ##" stroke-dasharray="5 3""##)/>"##
            svg += ##"<rect x="\##(f(legendX))" y="8" width="14" height="10" fill="\##(entry.color)"/><text class="legend" x="\##(f(legendX + 19))" y="17.5" fill="#333">\##(escape(entry.name))</text>"##
            legendX += 19 + textWidth(entry.name) + 18
        }
        return svg + "</svg>"
    }
}

extension Chart.Kind {
    var isBand: Bool { if case .band = self { true } else { false } }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
