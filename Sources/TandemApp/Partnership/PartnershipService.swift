import Foundation
import TandemCore

/// The partnership's services, one per concern, sharing the notifications they send.
public struct PartnershipService: Sendable {
    public let impediments: Impediments
    public let questions: Questions
    public let decisions: Decisions
    public let agreements: WorkingAgreements
    public let checks: PartnershipChecks
    public let notifications: NotificationInbox
    public let signals: PartnershipSignals
    public let activity: ProductActivity
    public let items: ItemPartnership

    public init(database: TandemDatabase, stamps: Stamps) {
        let notifications = NotificationInbox(database: database, stamps: stamps)
        self.notifications = notifications
        impediments = Impediments(database: database, stamps: stamps, notifications: notifications)
        questions = Questions(database: database, stamps: stamps, notifications: notifications)
        decisions = Decisions(database: database, stamps: stamps)
        agreements = WorkingAgreements(database: database, stamps: stamps)
        checks = PartnershipChecks(database: database, stamps: stamps, notifications: notifications)
        signals = PartnershipSignals(database: database, stamps: stamps)
        activity = ProductActivity(database: database)
        items = ItemPartnership(database: database, stamps: stamps)
    }
}
