import Foundation
import TandemCore

/// A refused form, shown again: what the person typed and, beside the field it concerns, why it was refused.
/// The page is re-rendered with `FormEcho.$refused` set; `H.form` finds the form it concerns (by its action)
/// and its fields take their values and the message from here. Pages need no code of their own for it.
struct FormEcho: Sendable {
    /// The refused form's action path.
    let action: String
    let values: [String: String]
    /// The form input the message belongs beside, or nil to show it at the top of the form.
    let field: String?
    let message: String

    /// `error.field` names an input of the API; `inputNames` maps it to the form's own input where they differ.
    init(action: String, form: FormData, error: DomainError, inputNames: [String: String] = [:]) {
        self.action = action
        self.values = form.values.filter { $0.key != "csrf" }
        self.field = error.field.map { field in inputNames[field] ?? inputNames[Self.base(field)] ?? Self.base(field) }
        self.message = error.message
    }

    /// `items[2]` belongs beside the `items` input.
    private static func base(_ field: String) -> String {
        field.firstIndex(of: "[").map { String(field[..<$0]) } ?? field
    }

    /// Several forms may post to one address (a card's "to Doing" and "to Done"): `variant` (sent as `_variant`)
    /// says which of them was refused, so only that one shows the message.
    var variant: String? { values["_variant"] }

    /// Whether a form with this action and variant is the one refused.
    func matches(_ path: String, variant: String?) -> Bool { action == path && (variant == nil || variant == self.variant) }

    /// Set while a page is rendered again after a refused form.
    @TaskLocal static var refused: FormEcho?
    /// Whether the message was shown in the page's forms, so the page shows it at its top only when no form did.
    @TaskLocal static var shownInPage: Flag?

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        var isRaised: Bool { lock.withLock { raised } }
        func raise() { lock.withLock { raised = true } }
    }
    /// Set while the refused form's own fields are built.
    @TaskLocal static var inForm: Placement?

    /// Remembers whether a field showed the message, so the form shows it at its top otherwise.
    final class Placement: @unchecked Sendable {
        let echo: FormEcho
        private let lock = NSLock()
        private var shown = false
        init(_ echo: FormEcho) { self.echo = echo }

        var wasShown: Bool { lock.withLock { shown } }

        /// The message, when `name` is the field it concerns.
        func message(for name: String) -> String? {
            guard echo.field == name else { return nil }
            lock.withLock { shown = true }
            FormEcho.shownInPage?.raise()
            return echo.message
        }
    }

    /// Whether the page's refused form is the one posting to `route` (a collapsed section holding it opens).
    static func concerns(_ route: SiteRoute) -> Bool { refused?.action == route.path }

    /// What the person typed into `name`, inside the refused form; nil elsewhere.
    static func typed(_ name: String) -> String? {
        guard let placement = inForm else { return nil }
        return placement.echo.values[name] ?? ""
    }
}
