
/// The log-in and sign-up pages: a model (what was typed, what went wrong) rendered without queries.
struct AccountPages {
    struct LogIn {
        var email = ""
        var flash: Layout.Flash?
        let csrf: String
        var signupOpen: Bool
        /// The local page to return to after logging in.
        var next: String?

        var html: HTML {
            Layout(title: "Log in", identity: nil, csrf: csrf, flash: flash, content: [
                H.el("section", ["class": "card narrow"], [
                    H.el("h1", text: "Log in"),
                    H.form(.login, csrf: csrf, class: "stack", label: "Log in") { [
                        next.map { H.void("input", ["type": "hidden", "name": "next", "value": $0]) } ?? .empty,
                        H.field("Email", name: "email", type: "email", value: email, autocomplete: "username", extra: ["autofocus": ""]),
                        H.field("Password", name: "password", type: "password", autocomplete: "current-password"),
                        H.button("Log in"),
                    ] },
                    signupOpen ? H.el("p", [.text("New here? "), H.link(.signup, "Create an account")]) : .empty,
                ]),
            ]).html
        }
    }

    struct SignUp {
        var email = ""
        var displayName = ""
        var flash: Layout.Flash?
        let csrf: String
        var signupOpen: Bool

        var html: HTML {
            let body: [BodyNode] = signupOpen
                ? [
                    H.form(.signup, csrf: csrf, class: "stack", label: "Sign up") { [
                        H.field("Your name", name: "displayName", value: displayName, autocomplete: "name", extra: ["autofocus": ""]),
                        H.field("Email", name: "email", type: "email", value: email, autocomplete: "username"),
                        H.field("Password", name: "password", type: "password", autocomplete: "new-password",
                                hint: "At least 10 characters.", extra: ["minlength": "10"]),
                        H.button("Create account"),
                    ] },
                    H.el("p", [.text("Already have an account? "), H.link(.login, "Log in")]),
                ]
                : [H.el("p", text: "Sign-up is closed on this Tandem. Ask an administrator to create your account.")]
            return Layout(title: "Sign up", identity: nil, csrf: csrf, flash: flash, content: [
                H.el("section", ["class": "card narrow"], [H.el("h1", text: "Create your account")] + body),
            ]).html
        }
    }
}
