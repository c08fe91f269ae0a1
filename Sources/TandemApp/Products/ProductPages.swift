import Foundation
import TandemCore

/// The product list and the product page with its teams, members and accountabilities.
struct ProductPages {
    struct List {
        let identity: Identity
        let csrf: String
        let products: [ProductSummaryDTO]
        var flash: Layout.Flash?
        var name = ""
        var key = ""

        var html: HTML {
            let rows: [BodyNode] = products.map { product in
                // The partnership dashboard is the first page the Product Owner and the Scrum Masters see of a product.
                // A Developer's is the running sprint's board, where the day's work is.
                let partner = product.accountabilities.contains(.productOwner) || product.accountabilities.contains(.scrumMaster)
                let developer = product.accountabilities.contains(.developer)
                return H.el("li", ["class": "product-row"], [
                    H.el("span", ["class": "key"], text: product.key),
                    H.link(partner ? .dashboard(product.id) : developer ? .myWork(product.id) : .product(product.id), product.name, class: "product-name"),
                    H.link(.backlog(product.id), "Backlog", class: "small"),
                    partner ? H.link(.product(product.id), "Product and teams", class: "small") : .empty,
                    H.el("span", ["class": "muted"], text: "Product Owner: \(product.productOwner.displayName)"),
                    H.el("span", ["class": "badges"], product.accountabilities.map { Badge.accountability($0) }),
                ])
            }
            return Layout(title: "Products", identity: identity, csrf: csrf, flash: flash, content: [
                H.el("h1", text: "Your products"),
                products.isEmpty
                    ? H.el("p", ["class": "empty"], text: "You are not part of any product yet. Create one and you become its Product Owner.")
                    : H.el("ul", ["class": "product-list"], rows),
                H.el("section", ["class": "card"], [
                    H.el("h2", text: "Create a product"),
                    H.el("p", ["class": "muted"], text: "You will be its Product Owner: accountable for the Product Goal and the order of the Product Backlog."),
                    H.form(.products, csrf: csrf, class: "row", label: "Create a product") { [
                        H.field("Name", name: "name", value: name),
                        H.field("Key", name: "key", value: key, hint: "2–10 uppercase letters or digits, used in item references like TND-42.",
                                extra: ["pattern": "[A-Z0-9]{2,10}", "maxlength": "10"]),
                        H.button("Create product"),
                    ] },
                ]),
            ]).html
        }
    }

    struct Show {
        let identity: Identity
        let csrf: String
        let product: ProductDTO
        let membership: ProductMembership
        var flash: Layout.Flash?
        var header: BodyNode = .empty

        var html: HTML {
            Layout(title: product.name, identity: identity, csrf: csrf, flash: flash, header: header, content: [
                H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / \(product.key)")]),
                H.el("h1", [.text(product.name), .text(" "), H.el("span", ["class": "key"], text: product.key)]),
                conflicts,
                H.el("p", ["class": "row"], [
                    H.link(.backlog(product.id), "Open the Product Backlog →", class: "button"),
                    H.link(.dashboard(product.id), "Partnership dashboard", class: "button secondary"),
                    H.link(.vision(product.id), "Vision and Product Goal", class: "button secondary"),
                    H.el("a", ["href": "/products/\(product.id)/planning", "class": "button secondary"], text: "Planning and forecasts"),
                    PermissionPolicy.decide(.manageWebhooks, for: membership) == .allowed ? H.link(.webhooks(product.id), "Webhooks", class: "button secondary") : .empty,
                ]),
                H.el("div", ["class": "grid"], [productSection] + product.teams.map(teamSection) + [newTeamSection]),
            ]).html
        }

        private var conflicts: BodyNode {
            guard !product.roleConflicts.isEmpty else { return .empty }
            let names = product.roleConflicts.map { conflict in
                product.teams.first { $0.id == conflict.teamId }?.name ?? conflict.teamId
            }
            return H.el("div", ["class": "flash warning", "role": "status", "data-role-conflict": ""], [
                H.el("strong", text: "Role conflict: "),
                .text("\(product.productOwner.displayName) is both Product Owner and Scrum Master of \(names.joined(separator: ", ")). "
                      + "Combining the accountabilities tends to neglect the duties of both; consider a separate Scrum Master."),
            ])
        }

        private var canManageProductMembers: Bool {
            PermissionPolicy.decide(.manageProductMembers, for: membership) == .allowed
        }

        private var productSection: BodyNode {
            H.el("section", ["class": "card", "aria-labelledby": "product-people"], [
                H.el("h2", ["id": "product-people"], text: "Product"),
                H.el("ul", ["class": "people"], product.members.map { member in
                    personRow(member, remove: member.accountability == .stakeholder && (canManageProductMembers || member.userId == identity.user.id)
                        ? .removeProductMember(productID: product.id, userID: member.userId) : nil)
                }),
                canManageProductMembers
                    ? H.form(.productMembers(product.id), csrf: csrf, class: "stack compact", label: "Invite a stakeholder") { [
                        H.el("h3", text: "Add a stakeholder"),
                        H.field("Email", name: "email", type: "email"),
                        H.void("input", ["type": "hidden", "name": "accountability", "value": Accountability.stakeholder.rawValue]),
                        H.button("Add stakeholder", class: "button secondary"),
                    ] }
                    : .empty,
                membership.isProductOwner && product.members.count > 1
                    ? H.form(.handOver(product.id), csrf: csrf, class: "stack compact", label: "Hand over the Product Owner accountability") { [
                        H.el("h3", text: "Hand over Product Ownership"),
                        H.el("p", ["class": "muted small"], text: "The new Product Owner becomes accountable for the product's value and decides the backlog's order; you stay on as a stakeholder."),
                        H.select("New Product Owner", name: "userId", options: [("", "Choose a person…")] + handOverCandidates, selected: ""),
                        handOverCandidates.contains(where: { $0.title.contains("Scrum Master") })
                            ? H.el("p", ["class": "flash warning small"], text: "Choosing a Scrum Master makes one person hold both accountabilities: nobody would then coach the Product Owner or stand for the team's process. Scrum relies on two people here.")
                            : .empty,
                        H.el("label", ["class": "check"], [
                            H.void("input", ["type": "checkbox", "name": "confirm", "value": "on", "required": ""]),
                            .text(" I confirm the hand-over"),
                        ]),
                        H.button("Hand over", class: "button danger"),
                    ] }
                    : .empty,
            ])
        }

        private var handOverCandidates: [(value: String, title: String)] {
            // Each eligible person once, with what they hold now, so the choice is made knowingly.
            var roles: [String: [String]] = [:]
            var order: [(id: String, name: String)] = []
            for member in product.members where member.userId != product.productOwner.id {
                if roles[member.userId] == nil { order.append((member.userId, member.displayName)) }
                roles[member.userId, default: []].append(member.accountability.title)
            }
            for team in product.teams {
                for member in team.members where member.userId != product.productOwner.id {
                    if roles[member.userId] == nil { order.append((member.userId, member.displayName)) }
                    roles[member.userId, default: []].append("\(member.accountability.title) of \(team.name)")
                }
            }
            return order.map { person in
                let held = roles[person.id] ?? []
                let conflict = held.contains { $0.hasPrefix(Accountability.scrumMaster.title) } ? " (would hold both accountabilities)" : ""
                return (person.id, "\(person.name): \(held.joined(separator: ", "))\(conflict)")
            }
        }

        private func teamSection(_ team: TeamDTO) -> BodyNode {
            let canManage = PermissionPolicy.decide(.manageTeamMembers(teamID: team.id), for: membership) == .allowed
            return H.el("section", ["class": "card team", "aria-label": "Team \(team.name)"], [
                H.el("h2", text: team.name),
                H.el("p", [H.link(.teamSprints(team.id), "Sprints, board and velocity"), .text(" · "), H.link(.teamPartnership(team.id), "Impediments, agreement, health checks")]),
                team.members.isEmpty
                    ? H.el("p", ["class": "empty"], text: "No one in this team yet.")
                    : H.el("ul", ["class": "people"], team.members.map { member in
                        personRow(member, remove: canManage || member.userId == identity.user.id
                            ? .removeTeamMember(teamID: team.id, userID: member.userId) : nil)
                    }),
                team.scrumMaster == nil
                    ? H.el("p", ["class": "hint"], text: "This team has no Scrum Master: no one is accountable for its process yet.")
                    : .empty,
                canManage
                    ? H.form(.teamMembers(team.id), csrf: csrf, class: "stack compact", label: "Add a member to \(team.name)") { [
                        H.el("h3", text: "Add a member"),
                        H.field("Email", name: "email", type: "email"),
                        H.select("Accountability", name: "accountability", options: [
                            (Accountability.developer.rawValue, Accountability.developer.title),
                            (Accountability.scrumMaster.rawValue, Accountability.scrumMaster.title),
                        ]),
                        H.button("Add member", class: "button secondary"),
                    ] }
                    : .empty,
            ])
        }

        private var newTeamSection: BodyNode {
            guard membership.isProductOwner else { return .empty }
            return H.el("section", ["class": "card"], [
                H.el("h2", text: "Create a team"),
                H.form(.productTeams(product.id), csrf: csrf, class: "stack compact", label: "Create a team") { [
                    H.field("Team name", name: "name"),
                    H.button("Create team"),
                ] },
            ])
        }

        private func personRow(_ member: MemberDTO, remove: SiteRoute?) -> BodyNode {
            H.el("li", ["class": "person"], [
                H.el("span", ["class": "name"], text: member.displayName),
                H.el("span", ["class": "muted email"], text: member.email),
                Badge.accountability(member.accountability),
                remove.map { route in
                    H.form(route, csrf: csrf, class: "inline", label: "Remove \(member.displayName)") { [
                        H.button(member.userId == identity.user.id ? "Leave" : "Remove", class: "link danger"),
                    ] }
                } ?? .empty,
            ])
        }
    }
}

/// Small labels with one colour per accountability.
enum Badge {
    static func accountability(_ accountability: Accountability) -> BodyNode {
        H.el("span", ["class": "badge \(accountability.rawValue)"], text: accountability.title)
    }
}
