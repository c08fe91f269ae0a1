import Crypto

/// Named keys the instance keeps for itself (CSRF, and whatever else signs): the pages ask for a key by name and
/// never learn where it is kept, so `Web/` does not reach into storage.
public protocol KeyStore: Sendable {
    /// The key called `name`, the same in every process of the instance.
    func key(_ name: String) async throws -> SymmetricKey
}
