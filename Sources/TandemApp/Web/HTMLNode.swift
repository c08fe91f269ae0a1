import Foundation

/// An attribute as it is written: `value` already escaped, nil for a bare one (`selected`).
struct HTMLAttribute: Sendable {
    let name: String
    let value: String?
}

/// A node of a page; every page is a tree of these, rendered straight into bytes. Plot, used before, built
/// generic nodes and closures and spent 65% of the backlog page's CPU doing so (`perf`); this is the little of it
/// Tandem needs, and `H` is the only code that builds elements.
indirect enum BodyNode: Sendable {
    case element(String, [HTMLAttribute], [BodyNode])
    /// `<input …/>`, `<meta …/>`: no children, closed in place.
    case void(String, [HTMLAttribute])
    /// Text, escaped when rendered.
    case text(String)
    /// Markup written as it is; only for text the caller has escaped.
    case raw(String)
    case group([BodyNode])
    case empty

    func render(into out: inout [UInt8]) {
        switch self {
        case .element(let name, let attributes, let children):
            Self.open(name, attributes, into: &out)
            out.append(UInt8(ascii: ">"))
            for child in children { child.render(into: &out) }
            out.append(contentsOf: "</".utf8)
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: ">"))
        case .void(let name, let attributes):
            Self.open(name, attributes, into: &out)
            out.append(contentsOf: "/>".utf8)
        case .text(let text):
            out.append(contentsOf: H.escapeText(text).utf8)
        case .raw(let markup):
            out.append(contentsOf: markup.utf8)
        case .group(let nodes):
            for node in nodes { node.render(into: &out) }
        case .empty:
            break
        }
    }

    private static func open(_ name: String, _ attributes: [HTMLAttribute], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for attribute in attributes {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: attribute.name.utf8)
            if let value = attribute.value {
                out.append(contentsOf: "=\"".utf8)
                out.append(contentsOf: value.utf8)
                out.append(UInt8(ascii: "\""))
            }
        }
    }
}

/// A whole page: `<!DOCTYPE html>`, the head and the body.
struct HTML: Sendable {
    let lang: String
    let head: [BodyNode]
    let body: [BodyNode]

    func render() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        out.append(contentsOf: "<!DOCTYPE html>".utf8)
        BodyNode.element("html", [HTMLAttribute(name: "lang", value: lang)], [
            .element("head", [], head),
            .element("body", [], body),
        ]).render(into: &out)
        return out
    }
}
