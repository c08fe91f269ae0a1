/// The four Scrum accountabilities Tandem knows; raw values are the API's contract strings.
public enum Accountability: String, Codable, Sendable, CaseIterable, Hashable {
    case productOwner
    case scrumMaster
    case developer
    case stakeholder

    /// Accountabilities held inside a team (the rest belong to the product).
    public var isTeamAccountability: Bool { self == .scrumMaster || self == .developer }

    /// The words a person reads on a page.
    public var title: String {
        switch self {
        case .productOwner: "Product Owner"
        case .scrumMaster: "Scrum Master"
        case .developer: "Developer"
        case .stakeholder: "Stakeholder"
        }
    }
}
