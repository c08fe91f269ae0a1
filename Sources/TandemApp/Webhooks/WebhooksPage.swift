import Foundation
import TandemCore

/// A product's webhooks: add one, see whether each is delivering, change, turn off, rotate its secret, and read
/// the delivery log with a way to send a change again.
struct WebhooksPage {
    let identity: Identity
    let csrf: String
    let product: ProductSettings
    let hooks: [WebhookDTO]
    let deliveries: [String: [WebhookDeliveryDTO]]
    /// The hook just created or rotated, whose secret is shown this once.
    var shown: WebhookDTO?
    var flash: Layout.Flash?
    var header: BodyNode = .empty

    var html: HTML {
        Layout(title: "\(product.key) webhooks", identity: identity, csrf: csrf, flash: flash, header: header, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / Webhooks")]),
            H.el("h1", text: "Webhooks"),
            H.el("p", ["class": "muted"], text: "Each change to \(product.name) (the same changes the team sees in the activity and the change stream) is sent "
                  + "to these addresses as a signed POST, in order, retried for 24 hours when a receiver fails."),
            secretBox,
            H.el("div", ["class": "webhooks"], hooks.map(hookSection)),
            H.el("div", ["class": "grid"], [newSection]),
        ]).html
    }

    private var secretBox: BodyNode {
        guard let shown, let secret = shown.secret else { return .empty }
        return H.el("section", ["class": "card secret", "aria-labelledby": "secret-heading", "role": "status"], [
            H.el("h2", ["id": "secret-heading"], text: "The secret for \(shown.url)"),
            H.el("p", [H.el("code", ["class": "secret-value", "data-secret": ""], text: secret)]),
            H.el("p", ["class": "muted small"], text: shown.previousSecretValidUntil.map { "Shown only this once. Until \(Self.when($0)) deliveries carry the old secret's signature too, so receivers can switch without a gap." }
                  ?? "Shown only this once: store it with the receiver, which checks each delivery's X-Tandem-Signature with it."),
        ])
    }

    private func hookSection(_ hook: WebhookDTO) -> BodyNode {
        let state: BodyNode
        if !hook.active {
            state = H.el("p", ["class": "flash warning"], text: hook.deactivatedReason ?? "Turned off; nothing is sent until it is turned on again.")
        } else if let since = hook.failingSince {
            state = H.el("p", ["class": "flash warning"], text: "Failing since \(Self.when(since))" + (hook.nextAttemptAt.map { "; next attempt \(Self.when($0))." } ?? "."))
        } else {
            state = H.el("p", ["class": "muted"], text: "Delivering: sent through change \(hook.deliveredThroughSeq).")
        }
        return H.el("section", ["class": "card webhook", "id": "webhook-\(hook.id)", "data-id": hook.id, "aria-label": "Webhook \(hook.url)"], [
            H.el("h2", [H.el("span", ["class": "webhook-url"], text: hook.url)]),
            H.el("p", text: "Sends: " + (hook.events == ["*"] ? "every change" : hook.events.joined(separator: ", "))),
            state,
            H.el("details", [
                H.el("summary", text: "Change"),
                H.form(.webhook(productID: product.id, webhookID: hook.id), csrf: csrf, class: "stack", label: "Change webhook \(hook.url)") { [
                    H.field("Address", name: "url", type: "url", value: hook.url, extra: ["maxlength": String(WebhookURL.maxLength)]),
                    H.field("Changes to send", name: "events", value: hook.events.joined(separator: " "), hint: Self.eventsHint),
                    H.el("label", ["class": "check"], [H.void("input", ["type": "checkbox", "name": "active", "value": "on", "checked": hook.active ? "" : nil]), .text(" On")]),
                    H.button("Save"),
                ] },
            ]),
            H.el("div", ["class": "row"], [
                H.form(.rotateWebhookSecret(productID: product.id, webhookID: hook.id), csrf: csrf, label: "Rotate the secret of \(hook.url)") { [H.button("Rotate secret", class: "button secondary")] },
                H.form(.deleteWebhook(productID: product.id, webhookID: hook.id), csrf: csrf, label: "Remove webhook \(hook.url)") { [H.button("Remove", class: "button danger")] },
            ]),
            deliveryLog(hook),
        ])
    }

    private func deliveryLog(_ hook: WebhookDTO) -> BodyNode {
        let attempts = deliveries[hook.id] ?? []
        guard !attempts.isEmpty else { return H.el("p", ["class": "muted small"], text: "No deliveries yet: the next change is the first.") }
        let rows: [BodyNode] = attempts.map { attempt in
            H.el("tr", [
                H.el("td", text: "\(attempt.seq)"),
                H.el("td", [H.el("code", text: attempt.type)]),
                H.el("td", text: attempt.redelivery ? "\(attempt.attempt) (again)" : "\(attempt.attempt)"),
                H.el("td", ["class": attempt.error == nil ? "ok" : "failed"], text: attempt.statusCode.map(String.init) ?? "–"),
                H.el("td", text: "\(attempt.durationMs) ms"),
                H.el("td", text: attempt.error ?? "Delivered"),
                H.el("td", [H.el("time", ["datetime": ISO8601DateFormatter().string(from: attempt.at)], text: Self.when(attempt.at))]),
                H.el("td", [H.form(.redeliverWebhook(productID: product.id, webhookID: hook.id, deliveryID: attempt.id), csrf: csrf,
                                   label: "Send change \(attempt.seq) again") { [H.button("Send again", class: "button secondary small")] }]),
            ])
        }
        return H.el("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": "Deliveries to \(hook.url)"], [
            H.el("table", ["class": "figures deliveries"], [
                H.el("caption", text: "Latest deliveries, newest first"),
                H.el("thead", [H.el("tr", ["Change", "Type", "Attempt", "Status", "Took", "Result", "When", ""].map { H.el("th", ["scope": "col"], text: $0) })]),
                H.el("tbody", rows),
            ]),
        ])
    }

    private var newSection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "new-webhook-heading"], [
            H.el("h2", ["id": "new-webhook-heading"], text: "Add a webhook"),
            H.form(.webhooks(product.id), csrf: csrf, class: "stack", label: "Add a webhook") { [
                H.field("Address", name: "url", type: "url", value: "", hint: "An https address outside your own network.", extra: ["maxlength": String(WebhookURL.maxLength), "placeholder": "https://hooks.example.com/tandem"]),
                H.field("Changes to send", name: "events", value: "*", hint: Self.eventsHint),
                H.field("Secret", name: "secret", required: false, hint: "Leave empty and Tandem makes one (shown once).", extra: ["maxlength": "200", "autocomplete": "off"]),
                H.button("Add webhook"),
            ] },
            H.el("details", [
                H.el("summary", text: "The changes Tandem records"),
                H.el("p", ["class": "muted small change-names"], text: ChangeType.allCases.map(\.rawValue).joined(separator: " · ")),
            ]),
        ])
    }

    static let eventsHint = "* for every change, or names such as item.moved sprint.started, separated by spaces."

    static func when(_ date: Date) -> String { date.formatted(date: .abbreviated, time: .shortened) }
}
