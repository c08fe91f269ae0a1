import Foundation

/// A person as other members see them.
public struct PersonRef: Codable, Sendable, Equatable {
    public let id: String
    public let displayName: String

    public init(id: String, displayName: String) {
        self.id = id
        self.displayName = displayName
    }
}
