/// Which side of the partnership an expectation is owed by.
public enum PartnershipSide: String, Codable, Sendable, CaseIterable {
    /// What the Scrum Master owes the Product Owner.
    case scrumMaster
    /// What the Product Owner owes the Scrum Master.
    case productOwner
}

/// One thing one accountability may expect of the other, from the service tables of the seed article
/// (Pichler, "The Product Owner and ScrumMaster Collaboration"). Ids are stable: checks store them.
public struct Expectation: Codable, Sendable, Equatable, Identifiable {
    public let id: String
    /// Who owes it.
    public let owedBy: PartnershipSide
    public let service: String
    public let text: String
}

/// The expectations, shipped as data: three services per side, three points per service.
public enum Expectations {
    public static let all: [Expectation] = {
        func group(_ side: PartnershipSide, _ prefix: String, _ service: String, _ points: [String]) -> [Expectation] {
            points.enumerated().map { Expectation(id: "\(prefix)-\($0.offset + 1)", owedBy: side, service: service, text: $0.element) }
        }
        return group(.scrumMaster, "sm-team-coaching", "Team coaching", [
            "Help the team collaborate effectively and manage their work so that they make realistic commitments and create increments reliably.",
            "Encourage the team to work with the Product Owner on the Product Backlog.",
            "Ensure that the team has a productive work environment.",
        ]) + group(.scrumMaster, "sm-organisational-change", "Organisational change", [
            "Work with senior management, HR and other business groups on the organisational changes Scrum requires.",
            "Educate the stakeholders about what is new in Scrum and their part in it, and win their support.",
            "Resolve role conflicts such as Product Owner versus product manager or project manager.",
        ]) + group(.scrumMaster, "sm-product-owner-coaching", "Product Owner coaching", [
            "Help the Product Owner choose the right agile product management techniques and tools.",
            "Support the Product Owner in making product decisions and tackle empowerment issues.",
            "Help establish agile product management practices in the organisation.",
        ]) + group(.productOwner, "po-vision-and-strategy", "Vision and strategy", [
            "Provide a vision that describes where the product is heading.",
            "Communicate the market, the value proposition and the business goals of the product.",
            "Formulate a product or release goal for the near to mid term.",
        ]) + group(.productOwner, "po-product-details", "Product details", [
            "Work on the Product Backlog proactively, update it with new insights and keep enough items ready.",
            "Provide direction and make prioritisation calls.",
            "Invite the right people and choose the right techniques to collect feedback and data.",
        ]) + group(.productOwner, "po-collaboration", "Collaboration", [
            "Be available for questions and spend time with the team.",
            "Buy into the process and attend the sprint events.",
            "Manage the stakeholders and make tough decisions: say no to some ideas and requests.",
        ])
    }()

    public static func owed(by side: PartnershipSide) -> [Expectation] { all.filter { $0.owedBy == side } }

    public static let ids = Set(all.map(\.id))
}

/// The seven foundations of a strong Product Owner–Scrum Master partnership, rated 1 to 5 in a health check.
public enum PartnershipFoundation: String, Codable, Sendable, CaseIterable {
    case mutualRespectAndTrust, openCommunication, sharedVision, sharedResponsibility
    case transparentDecisionMaking, businessTechnicalAlignment, crossFunctionalCollaboration

    public var title: String {
        switch self {
        case .mutualRespectAndTrust: "Mutual respect and trust"
        case .openCommunication: "Open communication"
        case .sharedVision: "Shared vision"
        case .sharedResponsibility: "Shared responsibility"
        case .transparentDecisionMaking: "Transparent decision-making"
        case .businessTechnicalAlignment: "Business and technical alignment"
        case .crossFunctionalCollaboration: "Cross-functional collaboration"
        }
    }

    public static let ratings = 1...5
    /// A difference this large between the two answers is the conversation to have.
    public static let gap = 2
}

/// One foundation as both sides rated it.
public struct FoundationComparison: Codable, Sendable, Equatable {
    public let foundation: PartnershipFoundation
    public let productOwner: Int
    public let scrumMaster: Int
    public let gap: Int
    /// The difference is at least `PartnershipFoundation.gap`: talk about it.
    public let highlighted: Bool
}

/// A partnership check's findings once both have answered.
public struct PartnershipCheckResults: Codable, Sendable, Equatable {
    public let foundations: [FoundationComparison]
    /// Expectations the Product Owner did not tick as met by the Scrum Master, and the reverse.
    public let unmetByScrumMaster: [String]
    public let unmetByProductOwner: [String]

    /// `productOwner` and `scrumMaster`: each side's ratings and the ids of the other side's expectations it saw met.
    public static func compare(
        productOwner: (ratings: [PartnershipFoundation: Int], met: Set<String>),
        scrumMaster: (ratings: [PartnershipFoundation: Int], met: Set<String>)
    ) -> PartnershipCheckResults {
        let foundations = PartnershipFoundation.allCases.map { foundation in
            let po = productOwner.ratings[foundation] ?? 0, sm = scrumMaster.ratings[foundation] ?? 0
            return FoundationComparison(foundation: foundation, productOwner: po, scrumMaster: sm, gap: abs(po - sm), highlighted: abs(po - sm) >= PartnershipFoundation.gap)
        }
        return PartnershipCheckResults(
            foundations: foundations,
            unmetByScrumMaster: Expectations.owed(by: .scrumMaster).map(\.id).filter { !productOwner.met.contains($0) },
            unmetByProductOwner: Expectations.owed(by: .productOwner).map(\.id).filter { !scrumMaster.met.contains($0) }
        )
    }
}

/// An impediment moves from open through in progress to resolved; resolving says how.
public enum ImpedimentState: String, Codable, Sendable, CaseIterable {
    case open, inProgress, resolved
}

/// Whether the team can remove an impediment or the organisation must.
public enum ImpedimentLevel: String, Codable, Sendable, CaseIterable {
    case team, organisation
}

public enum QuestionState: String, Codable, Sendable, CaseIterable {
    case open, answered
}

/// Which accountability a decision belongs to: product (the Product Owner's), process (the Scrum Master's), team.
public enum DecisionAccountability: String, Codable, Sendable, CaseIterable {
    case product, process, team
}

/// Whole days between two instants (milliseconds), rounded down: the age an impediment or question shows.
public enum Age {
    public static func days(from start: Int64, to end: Int64) -> Int { max(0, Int((end - start) / 86_400_000)) }
    public static func hours(from start: Int64, to end: Int64) -> Double { max(0, Double(end - start) / 3_600_000) }

    /// Whole days an item has been blocked: the union of its impediments' spans (raised to resolved, or to `now` while
    /// open), so two impediments over the same days count those days once.
    public static func blockedDays(_ spans: [(start: Int64, end: Int64?)], now: Int64) -> Int {
        let sorted = spans.map { (start: $0.start, end: max($0.start, $0.end ?? now)) }.sorted { $0.start < $1.start }
        var total: Int64 = 0, current: (start: Int64, end: Int64)?
        for span in sorted {
            if let open = current, span.start <= open.end {
                current = (open.start, max(open.end, span.end))
            } else {
                if let open = current { total += open.end - open.start }
                current = span
            }
        }
        if let open = current { total += open.end - open.start }
        return Int(total / 86_400_000)
    }

    /// The value below which `fraction` of `values` lie (nearest rank); nil when empty.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
