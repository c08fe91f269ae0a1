import Foundation
import Hummingbird
import NIOCore

/// The builders pages use: every attribute value is escaped here, every text when rendered.
enum H {
    /// Escapes `& " ' < >` for an attribute value, byte by byte (these are ASCII, so UTF-8 sequences pass through
    /// untouched); a value without any of them is returned as it is. Iterating Characters here was 15% of the
    /// backlog page's CPU (`perf`).
    static func escapeAttribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    /// Escapes `& < >` for text. Unlike Plot's `.text`, an entity someone typed (`&lt;`) stays what they typed.
    static func escapeText(_ value: String) -> String {
        escape(value, quotes: false)
    }

    private static func escape(_ value: String, quotes: Bool) -> String {
        let utf8 = value.utf8
        func special(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (quotes && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")))
        }
        // Scanning the contiguous bytes directly; the generic `contains` over a UTF8View was 4% of the backlog page.
        let clean = utf8.withContiguousStorageIfAvailable { !$0.contains(where: special) } ?? !utf8.contains(where: special)
        if clean { return value }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where quotes: out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'") where quotes: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An element with escaped attributes; a nil value leaves the attribute out, "" renders it bare.
    static func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: [BodyNode] = []) -> BodyNode {
        .element(name, escaped(attributes.map { ($0.key, $0.value) }), children)
    }

    static func el(_ name: String, _ children: [BodyNode]) -> BodyNode {
        .element(name, [], children)
    }

    static func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text: String) -> BodyNode {
        el(name, attributes, [.text(text)])
    }

    static func void(_ name: String, _ attributes: KeyValuePairs<String, String?>) -> BodyNode {
        .void(name, escaped(attributes.map { ($0.key, $0.value) }))
    }

    /// Escaped attributes; nil leaves one out, "" renders it bare.
    private static func escaped(_ attributes: [(String, String?)]) -> [HTMLAttribute] {
        attributes.compactMap { key, value in
            value.map { HTMLAttribute(name: key, value: $0.isEmpty ? nil : escapeAttribute($0)) }
        }
    }

    static func link(_ route: SiteRoute, _ text: String, class className: String? = nil) -> BodyNode {
        el("a", ["href": route.path, "class": className], text: text)
    }

    /// A form posting to `route`, always carrying the CSRF token. When the page shows this form again after it was
    /// refused (`FormEcho`), its fields hold what the person typed and the message stands beside its field (or at
    /// the top of the form when no field shows it). `variant` tells apart forms posting to the same address.
    static func form(_ route: SiteRoute, csrf: String, class className: String? = nil, label: String? = nil, variant: String? = nil,
                     _ children: () -> [BodyNode]) -> BodyNode {
        let echo = FormEcho.refused.flatMap { $0.matches(route.path, variant: variant) ? FormEcho.Placement($0) : nil }
        let built = FormEcho.$inForm.withValue(echo) { children() }
        var top: [BodyNode] = [void("input", ["type": "hidden", "name": "csrf", "value": csrf])]
        if let variant { top.append(void("input", ["type": "hidden", "name": "_variant", "value": variant])) }
        if let echo, !echo.wasShown {
            top.append(el("p", ["class": "form-error", "role": "alert"], text: echo.echo.message))
            FormEcho.shownInPage?.raise()
        }
        return el("form", ["method": "post", "action": route.path, "class": className, "aria-label": label], top + built)
    }

    /// The message beside a refused field, and the attributes that tie it to the control for screen readers.
    private static func problem(_ name: String) -> (node: BodyNode, attributes: [(String, String?)]) {
        guard let message = FormEcho.inForm?.message(for: name) else { return (.empty, []) }
        let id = "error-" + name
        return (el("span", ["class": "field-error", "id": id, "role": "alert"], text: message), [("aria-invalid", "true"), ("aria-describedby", id)])
    }

    /// The refusal's message where a form shows something other than a labelled control (a checklist, a group).
    static func message(for name: String) -> BodyNode { problem(name).node }

    /// A group of choices of which exactly one is to be chosen; none is chosen unless `selected` says so, so a person
    /// who sends the form untouched is asked instead of being taken to have answered.
    static func radios(_ legend: String, name: String, options: [(value: String, title: String)], selected: String? = nil, required: Bool = true,
                       class className: String = "choices") -> BodyNode {
        let problem = problem(name)
        let chosen = FormEcho.typed(name) ?? selected
        let describedBy = problem.attributes.first { $0.0 == "aria-describedby" }?.1
        return el("fieldset", ["class": className + (describedBy == nil ? "" : " invalid"), "aria-describedby": describedBy ?? nil], [
            el("legend", text: legend),
        ] + options.map { option in
            el("label", ["class": "choice"], [
                void("input", ["type": "radio", "name": name, "value": option.value, "checked": option.value == chosen ? "" : nil, "required": required ? "" : nil]),
                .text(" " + option.title),
            ])
        } + [problem.node])
    }

    /// A labelled input; the label wraps the control so no id bookkeeping is needed.
    static func field(_ label: String, name: String, type: String = "text", value: String? = nil, required: Bool = true,
                      autocomplete: String? = nil, hint: String? = nil, extra: KeyValuePairs<String, String?> = [:]) -> BodyNode {
        let problem = problem(name)
        // A password is never echoed back into the page.
        let shown = type == "password" ? nil : (FormEcho.typed(name) ?? value)
        var attributes: [(String, String?)] = [("type", type), ("name", name), ("value", shown), ("required", required ? "" : nil), ("autocomplete", autocomplete)]
        attributes += extra.map { ($0.key, $0.value) } + problem.attributes
        return el("label", ["class": "field"], [
            el("span", text: label),
            voidList("input", attributes),
        ] + (hint.map { [el("small", text: $0)] } ?? []) + [problem.node])
    }

    /// A labelled text area, echoing what was typed like `field`.
    static func textarea(_ label: String, name: String, value: String = "", rows: Int = 4, required: Bool = false,
                         extra: KeyValuePairs<String, String?> = [:]) -> BodyNode {
        let problem = problem(name)
        var attributes: [(String, String?)] = [("name", name), ("rows", String(rows)), ("required", required ? "" : nil)]
        attributes += extra.map { ($0.key, $0.value) } + problem.attributes
        let element: BodyNode = .element("textarea", escaped(attributes), [.text(FormEcho.typed(name) ?? value)])
        return el("label", ["class": "field"], [el("span", text: label), element, problem.node])
    }

    /// A labelled choice; `selected` is the current value, or what was typed when the form comes back refused.
    static func select(_ label: String, name: String, options: [(value: String, title: String)], selected: String? = nil) -> BodyNode {
        let problem = problem(name)
        let chosen = FormEcho.typed(name) ?? selected
        return el("label", ["class": "field"], [
            el("span", text: label),
            voidlessSelect(name: name, options: options, chosen: chosen, extra: problem.attributes),
            problem.node,
        ])
    }

    private static func voidlessSelect(name: String, options: [(value: String, title: String)], chosen: String?, extra: [(String, String?)]) -> BodyNode {
        .element("select", escaped([("name", name)] + extra), options.map { option in
            el("option", ["value": option.value, "selected": option.value == chosen ? "" : nil], text: option.title)
        })
    }

    static func button(_ title: String, class className: String = "button") -> BodyNode {
        el("button", ["type": "submit", "class": className], text: title)
    }

    private static func voidList(_ name: String, _ attributes: [(String, String?)]) -> BodyNode {
        .void(name, escaped(attributes))
    }
}

/// HTML answers: pages are rendered to a string once and sent with the right headers.
enum HTMLResponse {
    static func page(_ html: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: html.render())))
    }

    /// 303 so the browser follows a POST with a GET (post/redirect/get).
    static func redirect(_ route: SiteRoute) -> Response {
        redirect(to: route.path)
    }

    /// A redirect to a path already known to be local (`LocalRedirect`).
    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }
}
